import Foundation

/// The roles of the platform (see STANDARDS.md, "roles and task nodes").
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Citizen (市民): reports and follows their own reports.
    case citizen
    /// Inspector / grid worker (监督员): reports, verifies and checks in assigned grids.
    case inspector
    /// Operator (受理员): receives reports, registers and files, sends checks.
    case `operator`
    /// Shift lead (值班长): files, closes, voids, urges.
    case shiftLead = "shiftlead"
    /// Dispatcher (派遣员): dispatches, approves extensions, returns and suspensions.
    case dispatcher
    /// Department handler (专业处置部门): handles their department's tasks.
    case handler
    /// Leader (领导): reads everything, urges and supervises.
    case leader
    /// Administrator (管理员): configuration and accounts.
    case admin
    /// Partner system (12345 hotline, other bureaus, IoT gateways): reports through an API token.
    case partner
    /// The platform itself, for automatic steps (auto-dispatch, auto-check-send).
    case system

    /// Roles that may see reporters' names and phone numbers in full.
    public var seesPersonalData: Bool {
        switch self {
        case .operator, .shiftLead, .admin, .system: true
        default: false
        }
    }

    /// Roles that may read every case in the city.
    public var readsAllCases: Bool {
        switch self {
        case .operator, .shiftLead, .dispatcher, .leader, .admin, .system: true
        default: false
        }
    }

    /// The Chinese name of the role.
    public var chineseName: String {
        switch self {
        case .citizen: "市民"
        case .inspector: "监督员"
        case .operator: "受理员"
        case .shiftLead: "值班长"
        case .dispatcher: "派遣员"
        case .handler: "处置部门"
        case .leader: "领导"
        case .admin: "管理员"
        case .partner: "合作系统"
        case .system: "系统"
        }
    }
}

/// An account: a person or a partner system.
public struct User: Hashable, Codable, Sendable {
    /// The user's ID.
    public var id: UserID
    /// Login name, unique.
    public var username: String
    /// Display name.
    public var displayName: String
    /// The role.
    public var role: Role
    /// For handlers: the department they act for.
    public var departmentID: DepartmentID?
    /// For inspectors: the area or grid codes they are assigned to (a code covers every grid starting with it).
    public var gridScopes: [String]
    /// Phone number (personal data).
    public var phone: String?
    /// Whether the account may sign in.
    public var active: Bool

    /// Creates a user.
    public init(
        id: UserID, username: String, displayName: String, role: Role, departmentID: DepartmentID? = nil,
        gridScopes: [String] = [], phone: String? = nil, active: Bool = true
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.departmentID = departmentID
        self.gridScopes = gridScopes
        self.phone = phone
        self.active = active
    }

    /// Whether an inspector's assignment covers the grid. Non-inspectors have no grid limits.
    public func covers(gridCode: String) -> Bool {
        guard role == .inspector else { return true }
        return gridScopes.contains { gridCode.hasPrefix($0) }
    }
}

/// Who performs an action: the user and the role they act in.
public struct Actor: Hashable, Codable, Sendable {
    /// The acting user's ID.
    public var userID: UserID
    /// The user's name, recorded in history.
    public var name: String
    /// The role acted in.
    public var role: Role
    /// The department, for handlers.
    public var departmentID: DepartmentID?
    /// Assigned grids, for inspectors.
    public var gridScopes: [String]

    /// Creates an actor.
    public init(userID: UserID, name: String, role: Role, departmentID: DepartmentID? = nil, gridScopes: [String] = []) {
        self.userID = userID
        self.name = name
        self.role = role
        self.departmentID = departmentID
        self.gridScopes = gridScopes
    }

    /// The actor for a user.
    public init(_ user: User) {
        self.init(
            userID: user.id, name: user.username, role: user.role, departmentID: user.departmentID,
            gridScopes: user.gridScopes)
    }

    /// The platform acting on its own.
    public static let system = Actor(userID: "system", name: "system", role: .system)

    /// Whether an inspector's assignment covers the grid.
    public func covers(gridCode: String) -> Bool {
        role != .inspector || gridScopes.contains { gridCode.hasPrefix($0) }
    }
}
