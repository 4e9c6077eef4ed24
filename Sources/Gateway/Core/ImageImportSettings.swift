public import Fetch

/// Where images may be imported from (configuration `imports`), shared by every import path.
public struct ImageImportSettings: Sendable, Hashable {
    /// The only directory `file://` imports may read from (after symlinks are resolved); nil
    /// refuses every `file://` import.
    public var directory: String?
    /// Hosts, networks, byte cap and time limit of `http(s)://` imports; the byte cap and the
    /// time limit also bound uploads and `file://` imports.
    public var fetch: FetchPolicy
    /// Where incoming images are spooled before they are inspected and sent to a backend; the
    /// system's temporary directory when nil.
    public var spoolDirectory: String?

    /// Creates settings; the defaults refuse `file://` and allow http(s) to public addresses only.
    public init(directory: String? = nil, fetch: FetchPolicy = FetchPolicy(), spoolDirectory: String? = nil) {
        self.directory = directory
        self.fetch = fetch
        self.spoolDirectory = spoolDirectory
    }

    /// Largest image accepted, in bytes.
    public var maxBytes: Int { fetch.maxBytes }
    /// Time for one import or upload, in seconds.
    public var timeoutSeconds: Double { fetch.timeoutSeconds }
}
