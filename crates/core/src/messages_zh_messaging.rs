//! Chinese for what messaging says (outbox, templates, unsubscribe links,
//! delivery reasons), keyed by the English; a second table beside
//! `messages_zh.rs` so each stays a readable size.

/// (English, Chinese) pairs.
pub(crate) const ZH_MESSAGING: &[(&str, &str)] = &[
    ("No such template.", "没有这个模板。"),
    ("No such template language.", "模板没有这种语言。"),
    ("Thank you for your patience.", "感谢您的耐心等待。"),
    ("No such message.", "没有这条消息。"),
    (
        "Only a failed message can be retried.",
        "只有发送失败的消息才能重试。",
    ),
    ("This unsubscribe link is not valid.", "此退订链接无效。"),
    ("This unsubscribe link has expired.", "此退订链接已过期。"),
    ("Stop getting {}?", "不再接收{}？"),
    (
        "You will no longer get {}. You can opt in again any time on your profile.",
        "您将不再收到{}。您可以随时在个人资料中重新订阅。",
    ),
    ("The member no longer exists.", "该会员已不存在。"),
    ("No consent for {}.", "会员未同意接收{}。"),
    ("The address is suppressed ({}).", "该地址已被屏蔽（{}）。"),
    ("Unknown merge field: {}", "未知的合并字段：{}"),
    ("The template does not parse: {}", "模板无法解析：{}"),
    ("Gave up after {} attempts: {}", "尝试 {} 次后放弃：{}"),
    ("Invalid address {}: {}", "无效的地址 {}：{}"),
    ("Template error: {}", "模板错误：{}"),
    ("Cannot build the message: {}", "无法生成邮件：{}"),
    ("Enter a member number.", "请输入会员编号。"),
];
