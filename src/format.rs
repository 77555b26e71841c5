//! Numbers, money and dates per locale through the browser's Intl (no ICU
//! data in the bundle). Dates are shown in the programme's time zone.

use chrono::{DateTime, Utc};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::i18n::Locale;

/// The BCP 47 tag Intl gets for a locale.
pub fn intl_tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en-GB",
        Locale::zh => "zh-CN",
    }
}

fn locales(locale: Locale) -> Array {
    Array::of1(&JsValue::from_str(intl_tag(locale)))
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

thread_local! {
    // Building an Intl.NumberFormat costs far more than using one; lists
    // format many numbers, so keep one per locale.
    static NUMBER_FORMATS: std::cell::RefCell<Vec<(Locale, js_sys::Function)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// An integer with the locale's grouping: 12,553 / 12,553.
pub fn number(locale: Locale, n: i64) -> String {
    let format = NUMBER_FORMATS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, f)) = cache.iter().find(|(l, _)| *l == locale) {
            return f.clone();
        }
        let f = js_sys::Intl::NumberFormat::new(&locales(locale), &Object::new()).format();
        cache.push((locale, f.clone()));
        f
    });
    format
        .call1(&JsValue::NULL, &JsValue::from_f64(n as f64))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| n.to_string())
}

/// An amount in minor units as money: CN¥125.53 / ¥125.53.
pub fn money_minor(locale: Locale, minor: i64, currency: &str) -> String {
    let f = js_sys::Intl::NumberFormat::new(
        &locales(locale),
        &options(&[("style", "currency"), ("currency", currency)]),
    );
    f.format()
        .call1(&JsValue::NULL, &JsValue::from_f64(minor as f64 / 100.0))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| format!("{} {currency}", minor as f64 / 100.0))
}

/// A date (no time) as the locale writes it, in time zone `tz`.
pub fn date(locale: Locale, at: DateTime<Utc>, tz: &str) -> String {
    let f = js_sys::Intl::DateTimeFormat::new(
        &locales(locale),
        &options(&[("dateStyle", "medium"), ("timeZone", tz)]),
    );
    let d = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    f.format()
        .call1(&JsValue::NULL, &d)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| at.format("%Y-%m-%d").to_string())
}

/// A date and time (short), in time zone `tz`.
pub fn date_time(locale: Locale, at: DateTime<Utc>, tz: &str) -> String {
    let f = js_sys::Intl::DateTimeFormat::new(
        &locales(locale),
        &options(&[
            ("dateStyle", "medium"),
            ("timeStyle", "short"),
            ("timeZone", tz),
        ]),
    );
    let d = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    f.format()
        .call1(&JsValue::NULL, &d)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| at.format("%Y-%m-%d %H:%M").to_string())
}
