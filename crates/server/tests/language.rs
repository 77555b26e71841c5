//! Error messages in the client's language: the envelope follows
//! `Accept-Language`, and every sentence the server and the shared rules
//! can say has a Chinese translation.

mod common;

use common::{start, ADMIN};
use patron_core::messages::{localise, Lang};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[tokio::test]
async fn error_messages_come_in_the_language_the_client_asks_for() {
    let s = start(50, None).await;
    let admin = s.signed_in(ADMIN.0, ADMIN.1).await;
    let mut plan = s.get_json(&admin, "/api/v1/admin/tiers").await["plan"].clone();
    plan["tiers"][2]["threshold"] = json!(1);
    let preview = |lang: Option<&'static str>| {
        let mut req = admin.post(s.url("/api/v1/admin/tiers/preview")).json(&plan);
        if let Some(l) = lang {
            req = req.header("Accept-Language", l);
        }
        async move {
            let res = req.send().await.unwrap();
            let status = res.status();
            let headers = res.headers().clone();
            (status, headers, res.json::<Value>().await.unwrap())
        }
    };

    let (st, headers, zh) = preview(Some("zh-CN,zh;q=0.9,en;q=0.8")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        zh["error"]["code"], "validation",
        "codes stay machine words"
    );
    let field = zh["error"]["fields"]["tiers.2.threshold"].as_str().unwrap();
    assert!(
        is_chinese(field) && !field.contains("higher than"),
        "{field}"
    );
    assert!(field.contains("Silver"), "the tier's name is kept: {field}");
    assert!(is_chinese(zh["error"]["message"].as_str().unwrap()), "{zh}");
    assert_eq!(headers["content-language"], "zh");
    assert!(headers[reqwest::header::VARY]
        .to_str()
        .unwrap()
        .contains("accept-language"));

    for lang in [Some("en-GB"), Some("fr-FR, de;q=0.8"), None] {
        let (st, headers, en) = preview(lang).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        let field = en["error"]["fields"]["tiers.2.threshold"].as_str().unwrap();
        assert!(field.contains("higher than Silver"), "{lang:?}: {field}");
        assert!(headers.get("content-language").is_none());
    }

    // Errors from outside the handlers (sign-in needed, unknown endpoint,
    // unreadable JSON) are translated too; successes are untouched.
    let anon = s.client();
    let who = |path: &'static str| anon.get(s.url(path)).header("Accept-Language", "zh").send();
    let res = who("/api/v1/me/summary").await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["message"],
        "请登录后继续。"
    );
    let res = who("/api/v1/no-such-thing").await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(is_chinese(
        res.json::<Value>().await.unwrap()["error"]["message"]
            .as_str()
            .unwrap()
    ));
    let res = admin
        .put(s.url("/api/v1/admin/tiers"))
        .header("Accept-Language", "zh")
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let broken = res.json::<Value>().await.unwrap();
    assert!(
        is_chinese(broken["error"]["message"].as_str().unwrap()),
        "{broken}"
    );
    let res = admin
        .get(s.url("/api/v1/admin/tiers"))
        .header("Accept-Language", "zh")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("content-language").is_none());
    let plain = s.get_json(&admin, "/api/v1/admin/tiers").await;
    assert_eq!(res.json::<Value>().await.unwrap(), plain);
}

/// String literals of `source` (escapes kept as written), with the line
/// each is on; stops at the first `#[cfg(test)]`, where tests begin.
fn literals(source: &str) -> Vec<(String, &str)> {
    let code = source.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = Vec::new();
    for line in code.lines() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        let mut chars = line.char_indices().peekable();
        let mut start = None;
        let mut raw_before = false;
        while let Some((i, c)) = chars.next() {
            match (start, c) {
                (None, '"') => {
                    raw_before = line[..i].ends_with('r') || line[..i].ends_with("r#");
                    start = Some(i + 1);
                }
                (Some(_), '\\') => {
                    chars.next();
                }
                (Some(s), '"') => {
                    if !raw_before {
                        out.push((line[s..i].to_string(), line));
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// A literal that reads as a sentence for people: capital first, a space,
/// and an end stop.
fn is_sentence(s: &str) -> bool {
    let starts = s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        || (s.starts_with('{') && s.matches(' ').count() >= 4);
    let sql = [
        "SELECT ", "UPDATE ", "DELETE ", "INSERT ", " WHERE ", " = ?",
    ];
    starts
        && !sql.iter().any(|w| s.contains(w))
        && s.contains(' ')
        && (s.ends_with('.') || s.ends_with('?') || s.ends_with(':'))
}

/// `{name}`, `{}` and `{:.2}` placeholders all become `{}`.
fn template(s: &str) -> String {
    let mut out = String::new();
    let mut in_hole = false;
    for c in s.chars() {
        match (in_hole, c) {
            (false, '{') => {
                in_hole = true;
                out.push_str("{}");
            }
            (true, '}') => in_hole = false,
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    out
}

#[test]
fn every_sentence_the_server_and_the_rules_say_has_a_chinese_translation() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // Not said to clients: demo data, the API description, log lines.
    let skip_files = [
        "seed.rs",
        "demo_feedback.rs",
        "openapi.rs",
        "messages_zh.rs",
        "messages_zh_messaging.rs",
    ];
    let skip_lines = [
        "tracing::",
        "expect(",
        "panic!(",
        "description =",
        "eprintln!",
        "println!",
        "ApiError::Internal",
    ];
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut stack = vec![root.join("server/src"), root.join("core/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".rs") || skip_files.contains(&name.as_str()) {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (lit, line) in literals(&source) {
                if !is_sentence(&lit) || skip_lines.iter().any(|s| line.contains(s)) {
                    continue;
                }
                let key = template(&lit);
                checked += 1;
                if localise(&key, Lang::Zh) == key {
                    missing.push(format!("{name}: {lit}"));
                }
            }
        }
    }
    assert!(checked > 150, "the scan found only {checked} sentences");
    assert!(
        missing.is_empty(),
        "{} sentences have no Chinese in crates/core/src/messages_zh.rs:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
