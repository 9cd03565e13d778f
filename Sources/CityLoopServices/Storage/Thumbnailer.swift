import CityLoopDomain
import Foundation

/// Makes image previews with ImageMagick's `convert` (Debian package `imagemagick`, installed by
/// `scripts/bootstrap`): no Swift image library is on the list, and decoding JPEG, PNG, WebP and GIF by hand is
/// not worth it. Without ImageMagick, only photos that carry an EXIF thumbnail get a preview.
public enum Thumbnailer {
    /// The `convert` program, when ImageMagick is installed.
    static let convert: String? = ["/usr/bin/convert", "/usr/local/bin/magick", "/usr/bin/magick"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// A JPEG at most `side` pixels a side, oriented upright and stripped of metadata (GPS included); nil when
    /// the image cannot be converted.
    public static func jpeg(from image: Data, side: Int = MediaRules.thumbnailSide) -> Data? {
        if let convert, let made = run(convert, image, side: side) { return made }
        // An EXIF thumbnail is small already, but may carry the photo's metadata and orientation.
        return ImageFacts.read(image).thumbnail
    }

    /// The longest side of a public photo, in pixels.
    public static let publicSide = 1600

    /// A JPEG for the public, at most `publicSide` pixels a side, re-encoded by ImageMagick without metadata; nil
    /// without ImageMagick (the embedded EXIF preview is no way out here: it may carry the metadata).
    public static func publicJPEG(from image: Data) -> Data? {
        convert.flatMap { run($0, image, side: publicSide) }
    }

    private static func run(_ program: String, _ image: Data, side: Int) -> Data? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        // `[0]`: the first frame of an animated GIF; `>`: only shrink.
        p.arguments = ["-[0]", "-auto-orient", "-thumbnail", "\(side)x\(side)>", "-strip", "-quality", "80", "jpeg:-"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        // Write from another thread: a large image would fill the pipe while the output is not yet read.
        let writer = Thread {
            try? input.fileHandleForWriting.write(contentsOf: image)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, data.starts(with: [0xFF, 0xD8]) else { return nil }
        return data
    }
}
