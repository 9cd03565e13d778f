import Foundation

/// Tag for camera IDs.
public enum CameraTag {}
/// Tag for detection IDs.
public enum DetectionTag {}
/// Tag for detection-candidate IDs.
public enum CandidateTag {}

/// A camera's identifier (摄像头编号), as the video platform registers it: 1–64 letters, digits or `_ . -`.
public typealias CameraID = Identifier<CameraTag>
/// A detection's identifier, given by the service when it stores the detection (never made by the rules).
public typealias DetectionID = Identifier<DetectionTag>
/// A detection candidate's identifier (候选事件编号), given by the service.
public typealias CandidateID = Identifier<CandidateTag>
