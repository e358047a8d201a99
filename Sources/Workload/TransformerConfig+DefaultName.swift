import Foundation

extension TransformerConfig {
    /// The model's name when its config has no `_name_or_path`: the folder of
    /// a `config.json` (as the Hub lays out `org/model/config.json`), resolved
    /// against the working directory so that `config.json` and `./config.json`
    /// name the folder they are in rather than nothing or "."; any other file
    /// by its own stem (`mistral-7b.json` is "mistral-7b").
    static func defaultName(forConfigAt path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let standardized = (absolute as NSString).standardizingPath as NSString
        let stem = (standardized.lastPathComponent as NSString).deletingPathExtension
        guard stem == "config" else { return stem }
        let folder = (standardized.deletingLastPathComponent as NSString).lastPathComponent
        return folder.isEmpty || folder == "/" ? stem : folder
    }
}
