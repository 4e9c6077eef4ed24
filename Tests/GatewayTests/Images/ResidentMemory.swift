import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Samples this process's resident set size (from `/proc/self/statm`) while work runs, to show
/// that a transfer does not hold its body in memory.
enum ResidentMemory {
    /// The current resident set size in bytes.
    static func current() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Runs `work` and returns its result with the highest resident set size seen above the
    /// size before it started (sampled every 10 ms).
    static func peakGrowth<T: Sendable>(during work: () async -> T) async -> (T, Int) {
        let baseline = current()
        let sampler = Task {
            var peak = baseline
            while !Task.isCancelled {
                peak = max(peak, current())
                try? await Task.sleep(for: .milliseconds(10))
            }
            return max(peak, current())
        }
        let result = await work()
        sampler.cancel()
        return (result, await sampler.value - baseline)
    }
}
