/// A unit clients write sizes in; its raw value is the number of bytes in one unit.
public enum SizeUnit: Int, Sendable, CaseIterable {
    /// Bytes.
    case bytes = 1
    /// 1,024 bytes.
    case kib = 1024
    /// 2^20 bytes.
    case mib = 1_048_576
    /// 2^30 bytes.
    case gib = 1_073_741_824
    /// 2^40 bytes.
    case tib = 1_099_511_627_776
    /// 1,000 bytes.
    case kb = 1000
    /// 10^6 bytes.
    case mb = 1_000_000
    /// 10^9 bytes.
    case gb = 1_000_000_000

    /// `value` units in bytes, or `invalid` naming `field` when that does not fit in `Int`.
    public func bytes(_ value: Int, field: String) throws(SpecError) -> Int {
        try Measure.product(value, rawValue, field: field)
    }

    /// `value` units (a fraction allowed) in whole bytes, rounded up; `invalid` when not finite
    /// or too large.
    public func bytes(_ value: Double, field: String) throws(SpecError) -> Int {
        try Measure.product(value, rawValue, field: field)
    }
}
