/// Overflow-checked conversions of the numbers clients send, shared by every dialect and the
/// configuration, so no size or count a client chooses can trap the process.
///
/// Every function checks before it converts: a product that does not fit in `Int`, a double
/// that is NaN, infinite or outside `Int`'s range, and a value outside its field's bounds are
/// all `SpecError.invalid` naming the field. Dialects call these on their wire values and hand
/// Spec only values that are already in range.
public enum Measure {
    /// `value × factor`, or `invalid` naming `field` when the product does not fit in `Int`.
    public static func product(_ value: Int, _ factor: Int, field: String) throws(SpecError) -> Int {
        let (result, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw SpecError.invalid("\(field) is too large") }
        return result
    }

    /// The sum of `values`, or `invalid` naming `field` when it does not fit in `Int`.
    public static func sum(_ values: some Sequence<Int>, field: String) throws(SpecError) -> Int {
        var total = 0
        for value in values {
            let (result, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { throw SpecError.invalid("\(field) is too large") }
            total = result
        }
        return total
    }

    /// A finite double as an `Int` (rounded up to the next whole number when it has a fraction),
    /// or `invalid` when it is NaN, infinite or outside `Int`'s range.
    public static func integer(_ value: Double, field: String) throws(SpecError) -> Int {
        let rounded = try finite(value, field: field).rounded(.up)
        guard let exact = Int(exactly: rounded) else { throw SpecError.invalid("\(field) is out of range") }
        return exact
    }

    /// `value × factor` for a double (a size in GiB to bytes), rounded up to a whole number.
    public static func product(_ value: Double, _ factor: Int, field: String) throws(SpecError) -> Int {
        _ = try finite(value, field: field)
        // Doubles above 2^63 are outside Int; check before multiplying so the product stays finite.
        guard value.magnitude <= Double(Int.max) / Double(factor) else {
            throw SpecError.invalid("\(field) is too large")
        }
        return try integer(value * Double(factor), field: field)
    }

    /// `value` itself when it is a finite number, else `invalid`.
    public static func finite(_ value: Double, field: String) throws(SpecError) -> Double {
        guard value.isFinite else { throw SpecError.invalid("\(field) must be a finite number") }
        return value
    }

    /// A decimal integer written as text (query parameters, RADL values, vmpooler counts):
    /// optional sign and digits only, at most 19 digits, within `range`.
    public static func integer(
        parsing text: some StringProtocol, field: String, in range: ClosedRange<Int> = Int.min...Int.max
    ) throws(SpecError) -> Int {
        let trimmed = text.trimmingSpaces
        guard let value = Int(trimmed) else {
            throw SpecError.invalid("\(field) must be a whole number, not '\(trimmed.prefix(32))'")
        }
        return try bounded(value, range, field: field)
    }

    /// A decimal number written as text (`1.5`, `1e3`); NaN and infinities are refused.
    public static func number(parsing text: some StringProtocol, field: String) throws(SpecError) -> Double {
        let trimmed = text.trimmingSpaces
        guard trimmed.utf8.count <= 64, let value = Double(trimmed), value.isFinite,
            trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) })
        else { throw SpecError.invalid("\(field) must be a finite number, not '\(trimmed.prefix(32))'") }
        return value
    }

    /// `value` when it lies in `range`, else `invalid` naming `field`, the bounds and `unit`.
    @discardableResult
    public static func bounded(
        _ value: Int, _ range: ClosedRange<Int>, field: String, unit: String = ""
    ) throws(SpecError) -> Int {
        guard range.contains(value) else {
            let suffix = unit.isEmpty ? "" : " \(unit)"
            throw SpecError.invalid(
                "\(field) must be between \(range.lowerBound) and \(range.upperBound)\(suffix), not \(value)")
        }
        return value
    }

    /// `value` when it is finite and lies in `range`, else `invalid` naming `field`.
    @discardableResult
    public static func bounded(
        _ value: Double, _ range: ClosedRange<Double>, field: String, unit: String = ""
    ) throws(SpecError) -> Double {
        guard value.isFinite, range.contains(value) else {
            let suffix = unit.isEmpty ? "" : " \(unit)"
            throw SpecError.invalid(
                "\(field) must be between \(range.lowerBound.formatted) and \(range.upperBound.formatted)\(suffix)")
        }
        return value
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: Substring {
        let text = Substring(self)
        let start = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
        let end = text.lastIndex { !$0.isWhitespace }.map { text.index(after: $0) } ?? start
        return text[start..<Swift.max(start, end)]
    }
}

extension Double {
    fileprivate var formatted: String {
        self == rounded() && magnitude < 1e15 ? String(Int(self)) : String(self)
    }
}
