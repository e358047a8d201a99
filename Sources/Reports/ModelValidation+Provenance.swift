import Foundation
import Hardware

extension ModelValidation {
    /// The validation figures a comparison of `devices` rests on: every check
    /// of the unit models (which all devices share) and, for each device whose
    /// file name is one the validation checks (`nvidia-h100-sxm5.yaml`…), that
    /// device's checks evaluated on the file being compared, so an edited copy
    /// shows its own figures. Devices the validation does not cover add nothing;
    /// the report says so.
    public static func provenance(for devices: [HardwareModel]) throws -> [ComparisonData.Provenance] {
        var byName: [String: HardwareModel] = [:]
        for d in devices {
            byName[(d.file as NSString).lastPathComponent] = byName[(d.file as NSString).lastPathComponent] ?? d
        }
        let deviceRows = try deviceSections(only: Set(byName.keys)) { byName[$0]! }
        // The shipped device files' directory, for the describe path of the unit checks.
        let directory = devices.first.map { ($0.file as NSString).deletingLastPathComponent }
        // Rows of another software stack (XLA's dots) are not validation: a comparison does not rest on them.
        return (try unitModelSections(hardwareDirectory: directory) + deviceRows).flatMap { section, rows in
            rows.filter(\.basis.isCounted).map { r in
                ComparisonData.Provenance(
                    section: section, device: r.device, quantity: r.quantity, published: r.published, lpsim: r.lpsim,
                    basis: r.basis.rawValue,
                    passes: r.passes,
                    error: r.absolute ? String(format: "%+.3f", r.error) : String(format: "%+.1f%%", r.error * 100),
                    source: r.source)
            }
        }
    }
}
