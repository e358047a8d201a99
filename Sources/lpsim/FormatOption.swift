import ArgumentParser
import Formats

/// Looks a format up by name, turning an unknown name into a command-line error.
func lookUpFormat(_ name: String) throws -> NumberFormat {
    do throws(FormatError) { return try FormatCatalog.format(named: name) } catch {
        throw CommandLineError(message: error.description)
    }
}
