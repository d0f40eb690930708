import DeployerExecution
import DeployerModel
import DeployerPlanning
import Testing

/// The generated scripts as text, and the marker protocol they speak.
@Suite struct HostScriptsTests {
    @Test func valuesAreQuotedAndTheSwitchIsARename() {
        let release = ReleaseID(rawValue: "20261129T034500Z-3f2a9c1")
        let script = HostScripts.switch(deployTo: "/srv/my app", release: release, kind: .push, runID: "r1",
                                        tasks: [(.afterSwitch, [ScriptTask(name: "restart", command: "touch 'x y'")])]).text
        #expect(script.contains("deploy_to='/srv/my app'"))
        #expect(script.contains("release=20261129T034500Z-3f2a9c1\n"))
        #expect(script.contains("ln -sfn \"releases/$release\" \"$new_current\" && mv -T \"$new_current\" \"$deploy_to/current\""))
        #expect(script.contains("run_task after_switch restart '' 'touch '\\''x y'\\'''\n"))
        #expect(!script.contains("rm -f \"$deploy_to/current\""))
    }

    @Test func secretsAreExportedButNotInTheCommandLine() {
        var script = HostScripts.probe(deployTo: "/srv/app")
        script.export(["API_TOKEN": "s3cret value"])
        #expect(script.text.contains("API_TOKEN='s3cret value'; export API_TOKEN"))
        #expect(script.lines.firstIndex { $0.hasPrefix("API_TOKEN") }! < script.lines.firstIndex { $0.contains("cd \"$deploy_to\"") }!)
    }

    @Test func guardsBecomeSkipsWithReasons() {
        let task = ScriptTask(name: "assets", command: "make assets", creates: "public/assets", unless: "test -f skip")
        let text = HostScripts.tasks(deployTo: "/srv/app", release: ReleaseID(rawValue: "20261129T034500Z-3f2a9c1"),
                                     phase: .beforeSwitch, tasks: [task]).text
        #expect(text.contains("test -e public/assets"))
        #expect(text.contains("report task-skip before_switch assets 'creates: public/assets exists'"))
        #expect(text.contains("elif task_succeeds 'test -f skip'; then report task-skip before_switch assets 'unless: command succeeded'"))
    }

    @Test(arguments: [
        ("::deployer current 20261129T034500Z-3f2a9c1", ScriptMarker.current(ReleaseID(rawValue: "20261129T034500Z-3f2a9c1"))),
        ("::deployer task-end prepare build 3", .taskFinished(phase: .prepare, task: "build", exitStatus: 3)),
        ("::deployer failed verify artifact 1", .failed(what: "verify artifact", exitStatus: 1)),
        ("::deployer switched  20261129T034500Z-3f2a9c1", .switched(from: nil, to: ReleaseID(rawValue: "20261129T034500Z-3f2a9c1"))),
        ("::deployer lock held", .lock(.held)),
        ("::deployer env venv /srv/app/envs/venv-ab12 reused", .env(name: "venv", directory: "/srv/app/envs/venv-ab12", reused: true)),
    ])
    func markersParse(line: String, expected: ScriptMarker) {
        #expect(ScriptMarker(line: Substring(line)) == expected)
    }

    @Test func linesThatAreNotMarkersAreIgnored() {
        #expect(ScriptMarker(line: "deployer current x") == nil)
        #expect(ScriptMarker(line: "::deployer current ../../etc") == nil)
        #expect(ScriptMarker(line: "::deployer release 20261129T034500Z-3f2a9c1 bogus") == nil)
    }
}
