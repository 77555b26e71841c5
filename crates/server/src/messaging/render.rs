//! Rendering: a template's subject, text and HTML parts merged with a
//! member's fields by minijinja (HTML escaped in the HTML part), the footer
//! added; and the check a template must pass to be saved — it parses, fits
//! the length limits, and names only the fields its template may use.

use minijinja::Environment;
use patron_core::messaging::{
    RenderedMessage, TemplateKey, TemplateUpdate, MAX_HTML, MAX_SUBJECT, MAX_TEXT,
};
use serde_json::Value;

use super::defaults;
use crate::error::ApiError;

/// An environment for one message: undefined fields render empty (a
/// saved template names only known fields; a field without a value for
/// this member is blank, not an error).
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env
}

/// The parts of a template, named so the HTML one is escaped.
fn parts(t: &TemplateUpdate) -> [(&'static str, &str); 3] {
    [
        ("subject.txt", t.subject.as_str()),
        ("text.txt", t.text.as_str()),
        ("html.html", t.html.as_str()),
    ]
}

/// The request field a part is edited in.
fn field_of(part: &str) -> &'static str {
    match part {
        "subject.txt" => "subject",
        "text.txt" => "text",
        _ => "html",
    }
}

/// 422 naming the first problem: a part empty or too long, a syntax error,
/// or a merge field this template does not have.
pub fn check(key: TemplateKey, t: &TemplateUpdate) -> Result<(), ApiError> {
    for (field, value, max) in [
        ("subject", &t.subject, MAX_SUBJECT),
        ("text", &t.text, MAX_TEXT),
        ("html", &t.html, MAX_HTML),
    ] {
        if value.trim().is_empty() {
            return Err(ApiError::field(field, "Required."));
        }
        if value.chars().count() > max {
            return Err(ApiError::field(
                field,
                &format!("Keep it under {max} characters."),
            ));
        }
    }
    let allowed = key.fields();
    let mut env = environment();
    for (name, source) in parts(t) {
        if let Err(e) = env.add_template_owned(name, source.to_string()) {
            return Err(ApiError::field(
                field_of(name),
                &format!(
                    "The template does not parse: {}",
                    e.detail().unwrap_or("syntax error")
                ),
            ));
        }
        let tmpl = env.get_template(name).map_err(ApiError::internal)?;
        let mut unknown: Vec<String> = tmpl
            .undeclared_variables(false)
            .into_iter()
            .filter(|v| !allowed.contains(&v.as_str()))
            .collect();
        unknown.sort();
        if let Some(first) = unknown.first() {
            return Err(ApiError::field(
                field_of(name),
                &format!("Unknown merge field: {first}"),
            ));
        }
    }
    Ok(())
}

/// Renders `t` (falling back to the built-in text where a part does not
/// render) with `fields`; `unsubscribe` is the signed link marketing
/// messages carry in their footer.
pub fn render(
    t: &TemplateUpdate,
    language: &str,
    fields: &Value,
    unsubscribe: Option<&str>,
) -> Result<RenderedMessage, String> {
    let mut env = environment();
    let mut out = Vec::with_capacity(3);
    for (name, source) in parts(t) {
        env.add_template_owned(name, source.to_string())
            .map_err(|e| format!("{}: {e}", field_of(name)))?;
        let rendered = env
            .get_template(name)
            .and_then(|tmpl| tmpl.render(fields))
            .map_err(|e| format!("{}: {e}", field_of(name)))?;
        out.push(rendered);
    }
    let (text_footer, html_footer) = defaults::footer(language, unsubscribe.is_some());
    let link = unsubscribe.unwrap_or_default();
    let html_link = minijinja::HtmlEscape(link).to_string();
    let html = out.pop().unwrap_or_default();
    let text = out.pop().unwrap_or_default();
    let subject = out.pop().unwrap_or_default();
    Ok(RenderedMessage {
        // A subject is one line.
        subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
        text: format!("{text}{}", text_footer.replace("{unsubscribe}", link)),
        html: format!(
            "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><body>{html}{}</body></html>",
            if language == "zh" { "zh-CN" } else { "en" },
            html_footer.replace("{unsubscribe}", &html_link)
        ),
    })
}

/// `html` with every `http(s)` link that `link` maps replaced by its
/// tracked address, and the open pixel `pixel` before `</body>`.
pub fn with_tracking(html: &str, link: impl Fn(&str) -> Option<String>, pixel: &str) -> String {
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
        let start = i + "href=\"".len();
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('"') else {
            rest = after;
            break;
        };
        let raw = &after[..end];
        let url = unescape(raw);
        match (url.starts_with("http://") || url.starts_with("https://"))
            .then(|| link(&url))
            .flatten()
        {
            Some(tracked) => out.push_str(&minijinja::HtmlEscape(&tracked).to_string()),
            None => out.push_str(raw),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    let img = format!(
        "<img src=\"{}\" width=\"1\" height=\"1\" alt=\"\">",
        minijinja::HtmlEscape(pixel)
    );
    match out.rfind("</body>") {
        Some(i) => out.insert_str(i, &img),
        None => out.push_str(&img),
    }
    out
}

/// An attribute value as the browser reads it (the entities minijinja
/// writes).
fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(subject: &str, text: &str, html: &str) -> TemplateUpdate {
        TemplateUpdate {
            subject: subject.into(),
            text: text.into(),
            html: html.into(),
        }
    }

    #[test]
    fn links_are_tracked_except_those_left_out_and_the_pixel_goes_last() {
        let html = "<html><body><a href=\"https:&#x2f;&#x2f;shop.test&#x2f;a?x=1&amp;y=2\">A</a>\
                    <a href=\"mailto:x@y.test\">m</a><a href=\"https://p.test/unsubscribe/t\">u</a></body></html>";
        let out = with_tracking(
            html,
            |u| (!u.contains("/unsubscribe/")).then(|| format!("https://p.test/t/{}", u.len())),
            "https://p.test/t/open",
        );
        assert!(
            out.contains("href=\"https:&#x2f;&#x2f;p.test&#x2f;t&#x2f;27\""),
            "{out}"
        );
        assert!(out.contains("href=\"mailto:x@y.test\""));
        assert!(out.contains("href=\"https://p.test/unsubscribe/t\""));
        assert!(out.ends_with("alt=\"\"></body></html>"), "{out}");
    }

    #[test]
    fn every_built_in_template_passes_its_own_check() {
        for key in TemplateKey::ALL {
            for lang in ["en", "zh"] {
                check(key, &defaults::text(key, lang)).unwrap();
            }
        }
    }

    #[test]
    fn an_unknown_field_is_named_with_the_part_it_is_in() {
        let e = check(
            TemplateKey::Welcome,
            &t("Hi {{ name }}", "Expiring: {{ expiry_date }}", "<p>x</p>"),
        )
        .unwrap_err();
        match e {
            ApiError::Validation { fields, .. } => {
                assert_eq!(fields["text"], "Unknown merge field: expiry_date")
            }
            e => panic!("{e:?}"),
        }
        assert!(check(TemplateKey::Welcome, &t("{{ name", "x", "y")).is_err());
        assert!(check(TemplateKey::Welcome, &t(" ", "x", "y")).is_err());
    }

    #[test]
    fn html_is_escaped_text_is_not_and_marketing_gets_the_unsubscribe_footer() {
        let fields = serde_json::json!({"first_name": "<Ann & Bo>"});
        let r = render(
            &t(
                "Hi\n{{ first_name }}",
                "Hi {{ first_name }}",
                "<p>{{ first_name }}</p>",
            ),
            "en",
            &fields,
            Some("https://x.test/unsubscribe/a?b&c"),
        )
        .unwrap();
        assert_eq!(r.subject, "Hi <Ann & Bo>");
        assert!(r.text.starts_with("Hi <Ann & Bo>"));
        assert!(r
            .text
            .contains("Unsubscribe: https://x.test/unsubscribe/a?b&c"));
        assert!(r.html.contains("<p>&lt;Ann &amp; Bo&gt;</p>"));
        assert!(r
            .html
            .contains("href=\"https:&#x2f;&#x2f;x.test&#x2f;unsubscribe&#x2f;a?b&amp;c\""));
        let service = render(&t("s", "t", "h"), "zh", &fields, None).unwrap();
        assert!(!service.text.contains("退订"));
        assert!(service.html.contains("lang=\"zh-CN\""));
    }
}
