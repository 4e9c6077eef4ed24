import Foundation
import Spec
import Testing

@testable import VMPoolerDialect

/// The pool manager's table: the indexes it keeps beside the VMs must always say what a scan of
/// the VMs would, and checkout from the stock must be oldest first and all or nothing.
@Suite("vmpooler: pool table")
struct PoolTableTests {
    static let states: [PoolVM.State] = [.pending, .booting, .ready, .running, .completed, .destroyed]

    static func vm(
        _ name: String, pool: String = "a", state: PoolVM.State = .ready, readyAt: Double = 0, request: String? = nil,
        target: String? = nil
    ) -> PoolVM {
        var vm = PoolVM(hostname: name, pool: pool, template: "t", target: target)
        vm.state = state
        vm.readyAt = Date(timeIntervalSince1970: readyAt)
        vm.request = request
        return vm
    }

    /// What differs between the table's indexes and a recomputation from its VMs (empty: nothing).
    static func inconsistencies(_ table: PoolTable) -> [String] {
        let vms = Array(table.vms.values)
        var problems: [String] = []
        var counts: [String: PoolCounts] = [:]
        for vm in vms {
            switch vm.state {
            case .pending: counts[vm.pool, default: PoolCounts()].cloning += 1
            case .booting: counts[vm.pool, default: PoolCounts()].booting += 1
            case .ready: counts[vm.pool, default: PoolCounts()].ready += 1
            case .running: counts[vm.pool, default: PoolCounts()].running += 1
            case .completed: counts[vm.pool, default: PoolCounts()].completed += 1
            case .destroyed: break
            }
        }
        if table.counts.filter({ $0.value != PoolCounts() }) != counts { problems.append("counts \(table.counts)") }
        let unclaimed = vms.filter { $0.request == nil }
        let filling = Dictionary(
            grouping: unclaimed.filter { [.pending, .booting, .ready].contains($0.state) }, by: \.pool
        )
        .mapValues(\.count)
        if table.filling.filter({ $0.value != 0 }) != filling { problems.append("filling \(table.filling)") }
        if table.cloning != unclaimed.filter({ $0.state == .pending }).count { problems.append("cloning") }
        let cloningOn = Dictionary(
            grouping: vms.filter { $0.state == .pending && $0.target != nil }, by: { $0.target! }
        )
        .mapValues(\.count)
        if table.cloningOn.filter({ $0.value != 0 }) != cloningOn { problems.append("cloningOn \(table.cloningOn)") }
        for state in states where table.hostnames(in: state) != Set(vms.filter { $0.state == state }.map(\.hostname)) {
            problems.append("byState \(state)")
        }
        for pool in Set(vms.map(\.pool)) {
            let stock = Set(vms.filter { $0.pool == pool && $0.isStock }.map(\.hostname))
            let queued = Array(table.stock[pool] ?? [])
            if table.stockCount(pool) != stock.count || Set(queued) != stock || queued.count != stock.count {
                problems.append("stock of \(pool): \(queued) vs \(stock.sorted())")
            }
            let times = queued.compactMap { table[$0]?.readyAt }
            if times != times.sorted() { problems.append("stock of \(pool) not oldest first") }
        }
        return problems
    }

    @Test("the stock is handed out oldest first, across alias pools, all or none")
    func takeOrder() {
        var table = PoolTable()
        table.set("new", Self.vm("new", readyAt: 30))
        table.set("old", Self.vm("old", readyAt: 10))
        table.set("mid", Self.vm("mid", pool: "b", readyAt: 20))
        table.set("busy", Self.vm("busy", state: .booting))
        table.set("mine", Self.vm("mine", readyAt: 1, request: "r1"))  // an on-demand VM is not stock
        #expect(Self.inconsistencies(table) == [])
        #expect(table.stockCount("a") == 2)
        // A ready VM whose age changes moves to its place in the queue.
        table.set("renewed", Self.vm("renewed", readyAt: 5))
        table.set("renewed", Self.vm("renewed", readyAt: 40))
        #expect(Array(table.stock["a"] ?? []) == ["old", "new", "renewed"])
        table.set("renewed", nil)

        // 4 from a and b together: there are 3, so nothing is taken.
        #expect(table.take([("x", 4, ["a", "b"])]) { $0.state = .running } == nil)
        #expect(table.stockCount("a") == 2 && table.stockCount("b") == 1)
        // Two items that together want more than a has: none.
        #expect(table.take([("a", 2, ["a"]), ("alias", 1, ["a"])]) { $0.state = .running } == nil)
        #expect(Self.inconsistencies(table) == [])

        let taken = table.take([("alias", 2, ["a", "b"]), ("a", 1, ["a"])]) { $0.state = .running }
        #expect(taken?.map(\.hostname) == ["old", "mid", "new"])
        #expect(taken?.map(\.name) == ["alias", "alias", "a"])
        #expect(table.stockCount("a") == 0 && table.stockCount("b") == 0)
        #expect(table.dirty == ["old", "mid", "new"])
        #expect(Self.inconsistencies(table) == [])
    }

    @Test("indexes stay equal to a scan through random changes", arguments: [1, 2, 3] as [UInt64])
    func randomChanges(seed: UInt64) {
        var random = SplitMix(seed: seed)
        var table = PoolTable()
        let names = (0..<30).map { "vm\($0)" }
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        for step in 0..<1000 {
            let name = pick(names)
            var takeFailed = false
            switch random.next() % 6 {
            case 0:
                table.set(name, nil)
            case 1, 2:
                table.set(
                    name,
                    Self.vm(
                        name, pool: pick(["a", "b", "c"]), state: pick(Self.states), readyAt: Double(step % 50),
                        request: random.next() % 4 == 0 ? "r" : nil, target: pick(["h1", "h2"])))
            case 3:
                let state = pick(Self.states)
                table.update(name) { $0.state = state }
            case 4:
                let pool = pick(["a", "b", "c"])
                table.update(name) { $0.pool = pool }
            default:
                let count = Int(random.next() % 3) + 1
                let before = table.stockCount("a") + table.stockCount("b")
                let taken = table.take([("x", count, ["a", "b"])]) { $0.state = .running }
                takeFailed =
                    (taken == nil) != (before < count)
                    || (taken.map { Set($0.map(\.hostname)).count } ?? count) != count
            }
            let problems = Self.inconsistencies(table)
            guard problems.isEmpty, !takeFailed else {
                Issue.record("step \(step) of seed \(seed): \(problems), take failed: \(takeFailed)")
                return
            }
        }
    }

    @Test("clone slots: one until the host is known, then half its CPUs; cloneLimit overrides")
    func cloneSlots() throws {
        var placement = ClonePlacement()
        let settings = try VMPoolerSettings(options: [:])
        #expect(placement.slots("h", settings: settings) == 1)
        placement.hosts["h"] = .init(cpus: 2, freeMemoryKiB: 0, checkedAt: Date())
        #expect(placement.slots("h", settings: settings) == 1)
        placement.hosts["h"] = .init(cpus: 16, freeMemoryKiB: 0, checkedAt: Date())
        #expect(placement.slots("h", settings: settings) == 8)
        placement.hosts["h"] = .init(cpus: nil, freeMemoryKiB: 0, checkedAt: Date())
        #expect(placement.slots("h", settings: settings) == 1, "unreachable host: one at a time")
        #expect(placement.slots("h", settings: try VMPoolerSettings(options: ["cloneLimit": "3"])) == 3)
        #expect(throws: SpecError.self) { try VMPoolerSettings(options: ["cloneLimit": "0"]) }
    }

    @Test("clone placement follows the group's policy among backends with a free slot")
    func clonePlacement() throws {
        let settings = try VMPoolerSettings(options: ["cloneLimit": "2"])
        var placement = ClonePlacement()
        placement.hosts["h1"] = .init(cpus: 4, freeMemoryKiB: 100, checkedAt: Date())
        placement.hosts["h2"] = .init(cpus: 4, freeMemoryKiB: 900, checkedAt: Date())
        func pool(_ policy: Group.Placement) -> PoolManager.Pool {
            PoolManager.Pool(
                group: Group(name: "p", backends: ["h1", "h2"], placement: policy), size: 1, template: "t")
        }
        let both = ["h1", "h2"]
        #expect(
            placement.choose(for: pool(.mostFreeMemory), candidates: both, cloning: [:], settings: settings) == "h2")
        #expect(
            placement.choose(for: pool(.mostFreeMemory), candidates: both, cloning: ["h2": 2], settings: settings)
                == "h1", "the roomier host is busy")
        #expect(placement.choose(for: pool(.pinned), candidates: both, cloning: [:], settings: settings) == "h1")
        #expect(
            placement.choose(for: pool(.pinned), candidates: both, cloning: ["h1": 2], settings: settings) == nil,
            "pinned waits for its host")
        let turns = (0..<4).compactMap { _ in
            placement.choose(for: pool(.roundRobin), candidates: both, cloning: [:], settings: settings)
        }
        #expect(turns == ["h1", "h2", "h1", "h2"])
        #expect(
            placement.choose(for: pool(.roundRobin), candidates: both, cloning: ["h1": 2, "h2": 2], settings: settings)
                == nil)
    }
}

/// A small deterministic generator, so a failing sequence can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
