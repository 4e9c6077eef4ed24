import Foundation
import Spec

/// The `/summary` report: boot and clone durations and counts, and tag counts, overall and per day.
struct SummaryReport {
    struct Day {
        var date: Date
        var boot: [Double] = []
        var clone: [Double] = []
        /// tag → value → hostnames.
        var tags: [String: [String: Set<String>]] = [:]
    }

    var days: [Day]

    /// Buckets `events` into the given UTC days.
    init(days: [Date], events: [HistoryEvent], tagEvent: String) {
        var buckets = days.map { Day(date: $0) }
        let calendar = Calendar.utc
        let index = Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1, $0) })
        for event in events {
            guard let i = index[calendar.startOfDay(for: event.at)] else { continue }
            switch event.kind {
            case "boot": if let d = event.duration { buckets[i].boot.append(d) }
            case "clone": if let d = event.duration { buckets[i].clone.append(d) }
            case tagEvent, "checkout":
                for (key, value) in event.attributes where key != "group" && !value.isEmpty {
                    buckets[i].tags[key, default: [:]][value, default: []].insert(event.subject)
                }
            default: break
            }
        }
        self.days = buckets
    }

    /// Parses `from`/`to` (`YYYY-MM-DD`, default today); 400 for bad or reversed dates.
    static func range(from: String?, to: String?) throws -> (from: Date, to: Date, days: [Date]) {
        let calendar = Calendar.utc
        let today = calendar.startOfDay(for: Date())
        func parse(_ raw: String?, _ name: String) throws -> Date {
            guard let raw else { return today }
            let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
                calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
            else { throw VMPoolerError.badRequest("'\(name)' must be a date as YYYY-MM-DD, not '\(raw)'") }
            return date
        }
        let start = try parse(from, "from")
        let end = try parse(to, "to")
        guard start <= end else { throw VMPoolerError.badRequest("'to' must not be before 'from'") }
        guard end <= today else { throw VMPoolerError.badRequest("'to' must not be in the future") }
        let count = (calendar.dateComponents([.day], from: start, to: end).day ?? 0) + 1
        guard count <= 366 else { throw VMPoolerError.badRequest("a summary covers at most 366 days") }
        let days = (0..<count).map { calendar.date(byAdding: .day, value: $0, to: start)! }
        return (start, calendar.date(byAdding: .day, value: 1, to: end)!, days)
    }

    var json: VMPoolerJSON {
        let boot = days.map(\.boot)
        let clone = days.map(\.clone)
        var overallTags: [String: [String: Int]] = [:]
        for day in days {
            for (key, values) in day.tags {
                for (value, hosts) in values { overallTags[key, default: [:]][value, default: 0] += hosts.count }
            }
        }
        return [
            "boot": Self.overall(boot),
            "clone": Self.overall(clone),
            "tag": Self.tagJSON(overallTags),
            "daily": .array(
                days.map { day in
                    [
                        "date": .string(Self.dayString(day.date)),
                        "boot": Self.daily(day.boot),
                        "clone": Self.daily(day.clone),
                        "tag": Self.tagJSON(day.tags.mapValues { $0.mapValues(\.count) }),
                    ]
                }),
        ]
    }

    private static func duration(_ values: [Double]) -> VMPoolerJSON {
        let total = values.reduce(0, +)
        return [
            "average": .rounded(values.isEmpty ? 0 : total / Double(values.count)), "min": .rounded(values.min() ?? 0),
            "max": .rounded(values.max() ?? 0), "total": .rounded(total),
        ]
    }

    private static func daily(_ values: [Double]) -> VMPoolerJSON {
        ["duration": duration(values), "count": ["total": .int(values.count)]]
    }

    private static func overall(_ perDay: [[Double]]) -> VMPoolerJSON {
        let counts = perDay.map(\.count)
        let total = counts.reduce(0, +)
        return [
            "duration": duration(perDay.flatMap { $0 }),
            "count": [
                "average": .rounded(counts.isEmpty ? 0 : Double(total) / Double(counts.count)),
                "min": .int(counts.min() ?? 0), "max": .int(counts.max() ?? 0), "total": .int(total),
            ],
        ]
    }

    private static func tagJSON(_ tags: [String: [String: Int]]) -> VMPoolerJSON {
        .object(
            tags.mapValues { values in
                var object = values.mapValues { VMPoolerJSON.int($0) }
                object["total"] = .int(values.values.reduce(0, +))
                return .object(object)
            })
    }

    static func dayString(_ date: Date) -> String {
        let c = Calendar.utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
