import Foundation

/// Turns a self-contained HTML page into a PDF (the printed monthly report). The service only needs this; the
/// headless-Chromium implementation lives with the HTTP adapter, and tests can pass their own.
public protocol PDFRenderer: Sendable {
    /// The PDF of `html` (A4 unless the page's style says otherwise).
    func pdf(html: String) async throws -> Data
}

/// Why a PDF could not be made.
public struct PDFRenderError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The renderer (Chromium) is not installed.
        case unavailable
        /// It ran but gave no PDF: it failed or took too long.
        case failed
    }

    /// The kind.
    public var kind: Kind
    /// What to tell the caller.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The kind and the message.
    public var description: String { "pdf \(kind.rawValue): \(message)" }
}
