import Foundation

/// CPU-bound work over many items (decoding or verifying a page of cases) spread over the machine's cores.
public enum Parallel {
    /// `items.map(transform)`, in order, on as many tasks as there are cores (one task for a few items).
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) throws -> R) async throws -> [R] {
        let tasks = min(ProcessInfo.processInfo.activeProcessorCount, max(1, items.count / 64))
        guard tasks > 1 else { return try items.map(transform) }
        let size = (items.count + tasks - 1) / tasks
        return try await withThrowingTaskGroup(of: (Int, [R]).self) { group in
            for k in 0..<tasks {
                let chunk = Array(items[(k * size)..<min(items.count, (k + 1) * size)])
                group.addTask { (k, try chunk.map(transform)) }
            }
            var parts = [[R]](repeating: [], count: tasks)
            for try await (k, part) in group { parts[k] = part }
            return parts.flatMap { $0 }
        }
    }
}
