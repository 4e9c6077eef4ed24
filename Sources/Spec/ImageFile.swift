/// A disk image the gateway holds in a local regular file (spooled from an upload or an
/// import, or built by the gateway, like a seed ISO), to be streamed to a backend in chunks.
/// Backends read it from the gateway's own file system, never from the backend host's, and
/// never load it into memory whole.
public struct ImageFile: Sendable, Hashable {
    /// Absolute path of the file on the gateway's host.
    public var path: String
    /// Its size in bytes.
    public var byteCount: Int
    /// Image format of the contents: `raw` or `qcow2` (already inspected by the gateway).
    public var format: String

    /// Creates the description of a local image file.
    public init(path: String, byteCount: Int, format: String) {
        self.path = path
        self.byteCount = byteCount
        self.format = format
    }
}
