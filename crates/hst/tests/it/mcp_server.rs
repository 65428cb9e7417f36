//! `hst mcp` driven by a scripted MCP client over stdio (JSON-RPC: initialize, tools/list,
//! tools/call): the tools work, and no response ever holds a value or its base64.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use crate::support::env::{Env, Program};
use crate::support::pty::Pty;

const VALUE: &str = "ghp_fake_mcp_0123456789abcd";

fn session(env: &Env, requests: &[serde_json::Value]) -> Vec<serde_json::Value> {
    let mut child = env
        .command(Program::Hst)
        .arg("mcp")
        .current_dir(env.path("repo"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut send = |v: &serde_json::Value| {
        writeln!(stdin, "{v}").unwrap();
        stdin.flush().unwrap();
    };
    send(
        &serde_json::json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}),
    );
    let mut responses = vec![serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap()];
    send(&serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    for request in requests {
        send(request);
        let line = lines.next().unwrap().unwrap();
        responses.push(serde_json::from_str(&line).unwrap());
    }
    drop(stdin);
    let _ = child.wait();
    responses
}

fn call(id: u64, name: &str, arguments: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": name, "arguments": arguments}})
}

fn text(response: &serde_json::Value) -> String {
    response["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_tools_list_check_and_run_and_no_response_holds_a_value() {
    let env = Env::new();
    env.write_secrets(&format!(
        "gh.token = \"{VALUE}\"\nother.key = \"fake-other-1\"\n"
    ));
    std::fs::create_dir_all(env.path("repo/.git")).unwrap();
    std::fs::write(env.path("repo/hst.toml"), "[env]\nGH = \"gh.token\"\n").unwrap();
    let allow = crate::support::env::finish(
        env.command(Program::Hst)
            .args(["allow", "--yes"])
            .current_dir(env.path("repo")),
    );
    assert!(allow.status.success());
    let run = call(
        4,
        "run",
        serde_json::json!({"command": ["sh", "-c", "echo \"$GH\"; printf '%s' \"$GH\" | base64"]}),
    );
    // Before a grant: the key is not injected, and the call says why.
    let before = session(&env, std::slice::from_ref(&run));
    assert_eq!(before[1]["result"]["isError"], true);
    assert!(
        text(&before[1]).contains("not granted to agents"),
        "{}",
        text(&before[1])
    );
    // A person grants it on a terminal.
    let mut cmd = env.pty_command(Program::Hst);
    cmd.cwd(env.path("repo"));
    cmd.args(["grant", "gh.token"]);
    let mut pty = Pty::spawn(cmd, 24, 120);
    pty.wait_for("[y/N]");
    pty.keys("y\r");
    assert_eq!(pty.wait_exit(), 0);
    let responses = session(
        &env,
        &[
            serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}),
            call(2, "list_keys", serde_json::json!({})),
            call(3, "manifest_keys", serde_json::json!({})),
            run,
        ],
    );
    assert_eq!(responses[0]["result"]["serverInfo"]["name"], "hst");
    let names: Vec<&str> = responses[1]["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["list_keys", "manifest_keys", "run"]);
    assert!(text(&responses[2]).contains("gh.token = \"gh***cd\""));
    assert!(
        text(&responses[3]).contains("GH <- gh.token: in the file, granted"),
        "{}",
        text(&responses[3])
    );
    assert_eq!(text(&responses[4]), "exit code: 0\n***\n***\n");
    let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, VALUE);
    for r in &responses {
        let raw = r.to_string();
        assert!(
            !raw.contains(VALUE) && !raw.contains(&b64[..20]),
            "a value in {raw}"
        );
    }
    let log = std::fs::read_to_string(env.path("state/hst/audit.log")).unwrap();
    assert!(log.contains("\"action\":\"mcp-run\"") && log.contains("\"mcp-list_keys\""));
    assert!(!log.contains(VALUE));
}
