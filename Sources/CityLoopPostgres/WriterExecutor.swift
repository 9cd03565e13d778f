import Foundation
import PostgresNIO

/// A thread of its own for intake's batches (one per process, an event loop of SwiftNIO). Between its statements a
/// batch waits for the server, and its task then waited for a free thread of Swift's shared pool behind every HTTP
/// request being served: milliseconds per round trip on a busy node, while the batch holds the case-write lock and
/// the next batch's reports wait. On this thread it goes on as soon as the answer is in.
final class WriterExecutor: TaskExecutor {
    /// The process's writer thread.
    static let shared = WriterExecutor()

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let loop: any EventLoop

    private init() { loop = group.next() }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
