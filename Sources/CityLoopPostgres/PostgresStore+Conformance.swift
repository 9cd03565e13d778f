import CityLoopDomain

/// The PostgreSQL store implements the whole storage contract.
extension PostgresStore: CityStore {}
