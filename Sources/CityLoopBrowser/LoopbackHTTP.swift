import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 client for talking to chromedriver on 127.0.0.1: one connection per request
/// (`Connection: close`), blocking socket I/O on a dispatch queue, Content-Length or chunked replies.
///
/// Not URLSession: on Linux, FoundationNetworking (swift-corelibs-foundation up to Swift 6.3) rejects a reply whose
/// header lines have no space after the colon (`Content-Length:249`), which is exactly how chromedriver writes them
/// ("Failed writing header", fixed upstream by swift-corelibs-foundation#5527).
enum LoopbackHTTP {
    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static let queue = DispatchQueue(label: "CityLoopBrowser.LoopbackHTTP", qos: .userInitiated, attributes: .concurrent)

    /// Sends one request and answers the reply; `timeout` bounds each connect, send and receive.
    static func send(port: Int, method: String, path: String, body: Data?, timeout: TimeInterval) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try sendBlocking(port: port, method: method, path: path, body: body, timeout: timeout) })
            }
        }
    }

    static func sendBlocking(port: Int, method: String, path: String, body: Data?, timeout: TimeInterval) throws -> Response {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var tv = timeval()
        tv.tv_sec = .init(timeout.rounded(.down))
        tv.tv_usec = .init((timeout - timeout.rounded(.down)) * 1_000_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var addr = sockaddr_in()
        #if canImport(Darwin)
        addr.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)") }

        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nAccept: application/json\r\n"
        if let body {
            head += "Content-Type: application/json; charset=utf-8\r\nContent-Length: \(body.count)\r\n"
        } else if method == "POST" {
            head += "Content-Length: 0\r\n"
        }
        head += "\r\n"
        var request = Data(head.utf8)
        if let body { request.append(body) }
        try writeAll(fd, request)

        var buffer = Data()
        var headerEnd: Range<Data.Index>?
        let separator = Data("\r\n\r\n".utf8)
        while headerEnd == nil {
            guard try readSome(fd, into: &buffer) else { throw Failure(description: "connection closed before the reply's headers") }
            headerEnd = buffer.range(of: separator)
        }
        let headText = String(decoding: buffer[..<headerEnd!.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line in \(headText.prefix(100))") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(buffer[headerEnd!.upperBound...])
        if let length = headers["content-length"].flatMap(Int.init) {
            while body.count < length {
                guard try readSome(fd, into: &body) else { throw Failure(description: "connection closed after \(body.count) of \(length) bytes") }
            }
            body = body.prefix(length)
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            while !chunkedComplete(body) {
                guard try readSome(fd, into: &body) else { break }
            }
            body = try dechunk(body)
        } else {
            while try readSome(fd, into: &body) {}
        }
        return Response(status: status, headers: headers, body: body)
    }

    private static func writeAll(_ fd: Int32, _ data: Data) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                let n = Darwin.send(fd, raw.baseAddress! + offset, raw.count - offset, 0)
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: errno == EAGAIN || errno == EWOULDBLOCK ? "timed out sending the request" : "send failed: errno \(errno)")
                }
                offset += n
            }
        }
    }

    /// Reads what is available into `data`; false at the end of the stream.
    private static func readSome(_ fd: Int32, into data: inout Data) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n > 0 {
                data.append(contentsOf: chunk[0..<n])
                return true
            }
            if n == 0 { return false }
            if errno == EINTR { continue }
            throw Failure(description: errno == EAGAIN || errno == EWOULDBLOCK ? "timed out waiting for the reply" : "recv failed: errno \(errno)")
        }
    }

    private static func chunkedComplete(_ data: Data) -> Bool {
        (try? dechunk(data)) != nil
    }

    /// Decodes a complete chunked body; throws while incomplete.
    private static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var index = data.startIndex
        let crlf = Data("\r\n".utf8)
        while true {
            guard let lineEnd = data.range(of: crlf, in: index..<data.endIndex) else { throw Failure(description: "incomplete chunk") }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { throw Failure(description: "bad chunk size") }
            let start = lineEnd.upperBound
            if size == 0 { return out }
            guard data.distance(from: start, to: data.endIndex) >= size + 2 else { throw Failure(description: "incomplete chunk") }
            let end = data.index(start, offsetBy: size)
            out.append(data[start..<end])
            index = data.index(end, offsetBy: 2)
        }
    }
}
