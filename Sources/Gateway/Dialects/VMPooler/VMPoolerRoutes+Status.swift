import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension VMPoolerDialect {
    func addStatusRoutes(to routes: RouteCollection<GatewayContext>, base: String) {
        routes.get("\(base)/status") { _, _ in try JSONWire.response(try await status()) }
        routes.get("\(base)/summary") { request, _ in
            let query = request.uri.queryParameters
            let range = try SummaryReport.range(from: query["from"].map(String.init), to: query["to"].map(String.init))
            let names = Set(manager.pools.map(\.name))
            await manager.flushHistory()
            let events = try await fleet.store.history(kind: nil, from: range.from, to: range.to)
                .filter { names.contains($0.attributes["group"] ?? "") }
            let report = SummaryReport(days: range.days, events: events, tagEvent: Self.tagEvent)
            return try JSONWire.response(report.json)
        }
    }

    /// The `/status` document, from the pool manager's table and today's clone history.
    func status() async throws -> VMPoolerJSON {
        let counts = manager.counts()
        let pools = manager.pools
        let total = pools.reduce(0) { $0 + $1.size }
        let all = counts.values.reduce(into: PoolCounts()) { sum, count in
            sum.cloning += count.cloning
            sum.booting += count.booting
            sum.ready += count.ready
            sum.running += count.running
            sum.completed += count.completed
        }
        let names = Set(pools.map(\.name))
        let today = Calendar.utc.startOfDay(for: Date())
        let clones = try await fleet.store.durationStats(
            kind: "clone", from: today, to: Date().addingTimeInterval(1), by: "group"
        ).filter { names.contains($0.key) }.values.reduce(DurationStats()) { $0.merged(with: $1) }
        let empty = manager.emptyPools(counts)
        var status: [String: VMPoolerJSON] = ["ok": .bool(empty.isEmpty)]
        if empty.isEmpty {
            status["message"] = "Battle station fully armed and operational."
        } else {
            status["message"] = .string("Found \(empty.count) empty pool\(empty.count == 1 ? "" : "s").")
            status["empty"] = .array(empty.map { .string($0) })
        }
        var perPool: [String: VMPoolerJSON] = [:]
        for pool in pools {
            let count = counts[pool.name] ?? PoolCounts()
            perPool[pool.name] = [
                "ready": .int(count.ready), "running": .int(count.running), "pending": .int(count.pending),
                "max": .int(pool.size),
            ]
        }
        return [
            "capacity": [
                "current": .int(all.ready), "total": .int(total),
                "percent": total == 0 ? 0 : .rounded(Double(all.ready) * 100 / Double(total), 1),
            ],
            "clone": [
                "duration": [
                    "average": .rounded(clones.average), "min": .rounded(clones.min), "max": .rounded(clones.max),
                ],
                "count": ["total": .int(clones.count)],
            ],
            "queue": [
                "pending": .int(all.pending), "cloning": .int(all.cloning), "booting": .int(all.booting),
                "ready": .int(all.ready), "running": .int(all.running), "completed": .int(all.completed),
                "total": .int(all.total),
            ],
            "pools": .object(perPool),
            "status": .object(status),
        ]
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC (vmpooler's days).
    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }
}
