import Foundation

/// A typed string identifier: `Identifier<CaseTag>` cannot be passed where a user ID is expected.
public struct Identifier<Tag>: RawRepresentable, Hashable, Codable, Sendable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The identifier's text.
    public let rawValue: String
    /// Wraps a raw string.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a raw string.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Wraps a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// Decodes from a bare string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    /// Encodes as a bare string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    /// The raw text.
    public var description: String { rawValue }
    /// Orders by raw text.
    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
}

/// Tag types for `Identifier`.
public enum CaseTag {}
/// Tag for user IDs.
public enum UserTag {}
/// Tag for department IDs.
public enum DepartmentTag {}

/// A case's identifier (a UUID string).
public typealias CaseID = Identifier<CaseTag>
/// A user's identifier.
public typealias UserID = Identifier<UserTag>
/// A department's identifier (its code, e.g. `sanitation`).
public typealias DepartmentID = Identifier<DepartmentTag>
