//! Every translation key exists in every language, and no placeholder is
//! lost in translation.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use serde_json::Value;

fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => panic!("{prefix}: unexpected {other}"),
    }
}

fn load(lang: &str) -> BTreeMap<String, String> {
    let path = format!("{}/locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    flatten("", &v, &mut out);
    out
}

fn placeholders(s: &str) -> Vec<String> {
    let mut out: Vec<String> = s
        .split("{{")
        .skip(1)
        .filter_map(|p| p.split_once("}}").map(|(name, _)| name.trim().to_string()))
        .collect();
    out.sort();
    out
}

#[test]
fn english_and_chinese_have_the_same_keys_and_placeholders() {
    let en = load("en");
    let zh = load("zh");
    let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "missing in zh: {only_en:?}");
    assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
    for (k, v) in &en {
        assert_eq!(placeholders(v), placeholders(&zh[k]), "placeholders of {k}");
        assert!(!zh[k].trim().is_empty(), "{k} is translated");
    }
}
