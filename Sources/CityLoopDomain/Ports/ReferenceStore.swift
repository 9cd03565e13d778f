import Foundation

/// Storage of the city's reference data: areas, grids, catalog extensions, departments, rules, calendar,
/// and components.
public protocol ReferenceStore: Sendable {
    /// Replaces the whole area hierarchy and grid set.
    func replaceAreas(_ areas: [Area], grids: [UnitGrid]) async throws
    /// Every area.
    func areas() async throws -> [Area]
    /// Every unit grid.
    func grids() async throws -> [UnitGrid]
    /// Adds or replaces local catalog extensions.
    func saveCatalogExtensions(_ entries: [CatalogEntry]) async throws
    /// Local catalog extensions.
    func catalogExtensions() async throws -> [CatalogEntry]
    /// Adds or replaces departments.
    func saveDepartments(_ departments: [Department]) async throws
    /// Every department.
    func departments() async throws -> [Department]
    /// Replaces the responsibility list.
    func replaceRules(_ rules: [ResponsibilityRule]) async throws
    /// The responsibility rules.
    func rules() async throws -> [ResponsibilityRule]
    /// Adds or replaces components (by ID).
    func saveComponents(_ components: [Component]) async throws
    /// The component with this ID.
    func component(id: String) async throws -> Component?
    /// Components matching a query, by ID.
    func components(_ query: ComponentQuery) async throws -> ComponentPage
}
