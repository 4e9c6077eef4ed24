/// What an ISO image says about itself, read from its ISO 9660 volume descriptors: the
/// volume identifier (which installers fill with distribution and version) and whether an
/// El Torito boot record is present.
struct ISOInfo: Sendable, Hashable {
    /// `unknown` when the image could not be read or the label is not recognised.
    var distro: String
    /// `unknown` when not recognised.
    var version: String
    /// Whether the image carries an El Torito boot catalog (false when unreadable).
    var bootable: Bool
    /// The raw volume identifier, if read.
    var volumeID: String?

    static let unknown = ISOInfo(distro: "unknown", version: "unknown", bootable: false, volumeID: nil)
}
