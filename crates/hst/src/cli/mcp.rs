//! `hst mcp`: a Model Context Protocol server over stdio (the official `rmcp` crate) for AI
//! agents, always in agent mode. Its tools list keys (masked), say which keys a project's
//! manifest needs and whether each is there and granted, and run a command with the
//! manifest's (or `--env`-style) keys injected, returning its exit code and its output with
//! every injected value and its encodings masked. No tool ever returns a value; every call is
//! in the audit log.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::{RequestContext, RoleServer, ServiceExt};
use rmcp::{ErrorData, ServerHandler};
use serde_json::{Value, json};

use super::Failure;
use super::run::masked::Masker;
use super::run::plan::Origin;
use crate::manifest::Source;
use home_secret_toml::file::SecretFile;
use home_secret_toml::mask::mask;

/// The most output a `run` call returns (the rest is cut, and says so).
const MAX_OUTPUT: usize = 256 * 1024;
/// How long a `run` call may take unless it asks for less.
const DEFAULT_TIMEOUT: u64 = 300;

pub fn serve(path: &Path) -> Result<(), Failure> {
    crate::agent::force_on();
    let server = Server {
        path: path.to_path_buf(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Failure::Message(format!("MCP: {e}")))?;
        running
            .waiting()
            .await
            .map_err(|e| Failure::Message(format!("MCP: {e}")))?;
        Ok(())
    })
}

struct Server {
    path: PathBuf,
}

fn schema(value: Value) -> Arc<serde_json::Map<String, Value>> {
    match value {
        Value::Object(map) => Arc::new(map),
        _ => Arc::new(serde_json::Map::new()),
    }
}

fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            "list_keys",
            "The key paths of the user's secrets file with masked values (never a value). \
             `query`: only keys containing every word.",
            schema(json!({"type": "object", "properties": {"query": {"type": "string"}}})),
        ),
        Tool::new(
            "manifest_keys",
            "The variables a project's hst.toml sets, the key each reads, and whether that key \
             is in the file and granted to agents. `dir`: the project folder.",
            schema(json!({"type": "object", "properties": {"dir": {"type": "string"}}})),
        ),
        Tool::new(
            "run",
            "Run a command with the project's manifest keys (or `env`: [\"NAME=key.path\"]) in \
             its environment. Only keys a person granted (hst grant) are injected. Returns the \
             exit code and the output with every injected value masked as ***.",
            schema(json!({
                "type": "object",
                "properties": {
                    "command": {"type": "array", "items": {"type": "string"}},
                    "dir": {"type": "string"},
                    "env": {"type": "array", "items": {"type": "string"}},
                    "timeout_secs": {"type": "integer"}
                },
                "required": ["command"]
            })),
        ),
    ]
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("hst", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "hst keeps the user's secrets. These tools never return a value: use `run` to \
                 give a program the secrets it needs; its output comes back masked.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = request.arguments.clone().unwrap_or_default();
        let text = |k: &str| args.get(k).and_then(Value::as_str).map(str::to_string);
        let list = |k: &str| -> Vec<String> {
            args.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let result = match request.name.as_ref() {
            "list_keys" => self.list_keys(text("query").as_deref()),
            "manifest_keys" => self.manifest_keys(text("dir").as_deref()),
            "run" => self.run(
                &list("command"),
                text("dir").as_deref(),
                &list("env"),
                args.get("timeout_secs").and_then(Value::as_u64),
            ),
            other => Err(format!("no tool {other}")),
        };
        let tool = format!("mcp-{}", request.name);
        Ok(match result {
            Ok((body, keys)) => {
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                crate::audit::note(&tool, &keys, Some(&self.path), Ok(()));
                CallToolResult::success(vec![ContentBlock::text(body)]).into()
            }
            Err(why) => {
                crate::audit::note(&tool, &[], Some(&self.path), Err(why.clone()));
                CallToolResult::error(vec![ContentBlock::text(why)]).into()
            }
        })
    }
}

type Answer = Result<(String, Vec<String>), String>;

impl Server {
    fn load(&self) -> Result<SecretFile, String> {
        SecretFile::load(&self.path).map_err(|e| e.to_string())
    }

    fn list_keys(&self, query: Option<&str>) -> Answer {
        let file = self.load()?;
        let query = query
            .map(home_secret_toml::query::Query::parse)
            .unwrap_or_default();
        let lines: Vec<String> = file
            .entries()
            .iter()
            .filter(|e| query.is_empty() || query.matches(e.key.dotted()))
            .map(|e| format!("{} = \"{}\"", e.key.dotted(), mask(&e.value)))
            .collect();
        Ok((lines.join("\n"), Vec::new()))
    }

    fn manifest_keys(&self, dir: Option<&str>) -> Answer {
        let here = folder(dir)?;
        let (manifest, plan) =
            super::run::prepare(&[], None, &[], &here, &self.path).map_err(|e| e.to_string())?;
        let mut lines = vec![format!(
            "{}:",
            home_secret_toml::path::display(&manifest.path)
        )];
        for (variable, row) in manifest.variables.iter().zip(&plan.rows) {
            let key = match &variable.source {
                Source::Key { key, .. } => key.clone(),
                Source::Default(_) => "(a default)".to_string(),
            };
            let state = match &row.origin {
                Origin::Key { .. } => "in the file, granted".to_string(),
                Origin::Default => "default".to_string(),
                Origin::Environment => "from the environment".to_string(),
                Origin::Missing { .. } => "MISSING from the file".to_string(),
                Origin::OptionalMissing { .. } => "optional, not in the file".to_string(),
                Origin::Unusable { why, .. } => why.clone(),
            };
            lines.push(format!("  {} <- {key}: {state}", variable.name));
        }
        Ok((lines.join("\n"), Vec::new()))
    }

    fn run(
        &self,
        command: &[String],
        dir: Option<&str>,
        env: &[String],
        timeout: Option<u64>,
    ) -> Answer {
        let Some((program, args)) = command.split_first() else {
            return Err("`command` is empty".to_string());
        };
        let here = folder(dir)?;
        let (_, mut plan) =
            super::run::prepare(env, None, &[], &here, &self.path).map_err(|e| e.to_string())?;
        plan.resolve();
        super::run::refuse_problems(&plan, &self.path).map_err(|e| e.to_string())?;
        let masker = Masker::new(&plan.secrets())?;
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(&here)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in plan.to_set() {
            cmd.env(name, value);
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        let readers: Vec<_> = [
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        .map(|mut pipe| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = (&mut pipe)
                    .take(MAX_OUTPUT as u64 + 1)
                    .read_to_end(&mut bytes);
                // Drain the rest so the program never blocks on a full pipe.
                let _ = std::io::copy(&mut pipe, &mut std::io::sink());
                bytes
            })
        })
        .collect();
        let deadline = Instant::now() + Duration::from_secs(timeout.unwrap_or(DEFAULT_TIMEOUT));
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break Some(status);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut output = Vec::new();
        for (i, reader) in readers.into_iter().enumerate() {
            let bytes = reader.join().unwrap_or_default();
            if i == 1 && !bytes.is_empty() {
                output.extend_from_slice(b"--- stderr ---\n");
            }
            output.extend_from_slice(&masker.mask(&bytes[..bytes.len().min(MAX_OUTPUT)]));
        }
        let code = match status {
            Some(s) => s
                .code()
                .map_or_else(|| "killed by a signal".to_string(), |c| c.to_string()),
            None => "timed out (killed)".to_string(),
        };
        let keys: Vec<String> = plan.keys_read().iter().map(|k| (*k).to_string()).collect();
        let body = format!("exit code: {code}\n{}", String::from_utf8_lossy(&output));
        Ok((body, keys))
    }
}

fn folder(dir: Option<&str>) -> Result<PathBuf, String> {
    let here = match dir {
        Some(d) => PathBuf::from(d),
        None => std::env::current_dir().map_err(|e| e.to_string())?,
    };
    std::fs::canonicalize(&here).map_err(|e| format!("{}: {e}", here.display()))
}
