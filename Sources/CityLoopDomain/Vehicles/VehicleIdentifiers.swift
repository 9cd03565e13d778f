import Foundation

/// Tag for vehicle IDs.
public enum VehicleTag {}
/// Tag for site IDs.
public enum SiteTag {}
/// Tag for transport-permit IDs.
public enum PermitTag {}
/// Tag for road-segment IDs.
public enum RoadSegmentTag {}
/// Tag for driver IDs.
public enum DriverTag {}

/// A vehicle's identifier: its terminal's number (终端手机号) or plate, as the fleet registers it.
public typealias VehicleID = Identifier<VehicleTag>
/// A site's identifier (场地编号).
public typealias SiteID = Identifier<SiteTag>
/// A transport permit's number (准运证编号).
public typealias PermitID = Identifier<PermitTag>
/// An assigned road segment's identifier (保洁路段编号).
public typealias RoadSegmentID = Identifier<RoadSegmentTag>
/// A driver's identifier in the fleet registry (驾驶员编号).
public typealias DriverID = Identifier<DriverTag>
