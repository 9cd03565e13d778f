import ArgumentParser

/// `cityloop`: run and operate a CityLoop platform.
@main
struct CityLoopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cityloop",
        abstract: "CityLoop 智慧城管平台 — smart urban management: report, file, dispatch, handle, check, close.",
        discussion: """
            Messages are in Chinese by default; pass --lang en (or set CITYLOOP_LANG=en) for English.
            Every command that touches data takes --data, the folder holding cityloop.sqlite and media/, and --database for another database.
            """,
        subcommands: [
            ServeCommand.self, DemoCommand.self, ImportCommand.self, ExportCommand.self, ReportCommand.self, CaseCommand.self,
            UserCommand.self, APIKeyCommand.self, VerifyCommand.self, LedgerCommand.self, BenchCommand.self, LocateCommand.self, MigrateCommand.self,
            CopyCommand.self, SimulateCommand.self, MQTTAuthCommand.self,
        ])
}
