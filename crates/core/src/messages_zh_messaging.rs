//! Chinese for what messaging says (outbox, templates, unsubscribe links,
//! delivery reasons, campaigns), keyed by the English; a second table beside
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
    (
        "Allow 1 to 50 marketing messages per week.",
        "每周允许 1 到 50 条营销消息。",
    ),
    ("Use an hour from 0 to 23.", "请使用 0 到 23 之间的整点。"),
    (
        "Give 1 to 4 different days, each from 1 to 90.",
        "请填写 1 到 4 个不同的天数，每个在 1 到 90 之间。",
    ),
    ("Use a factor from 1 to 10.", "请使用 1 到 10 之间的倍数。"),
    (
        "Give a name of 1 to 80 characters.",
        "请填写 1 到 80 个字符的名称。",
    ),
    (
        "Give a month and a day that exist.",
        "请填写存在的月份和日期。",
    ),
    ("Give the date.", "请填写日期。"),
    ("Only members have messages.", "只有会员才有消息。"),
    ("No such automation.", "没有这个自动化流程。"),
    ("Wait 0 to 720 hours.", "请等待 0 到 720 小时。"),
    ("No such holiday.", "没有这个节日。"),
    ("That address is already suppressed.", "该地址已被屏蔽。"),
    ("That address is not suppressed.", "该地址未被屏蔽。"),
    (
        "Delivery reports are not set up on this server.",
        "此服务器未设置投递报告。",
    ),
    (
        "The report's signature does not match.",
        "报告的签名不匹配。",
    ),
    ("Report a bounce or a complaint.", "请报告退信或投诉。"),
    ("No such campaign.", "没有这个营销活动。"),
    ("The campaign is still a draft.", "该营销活动仍是草稿。"),
    (
        "The campaign is no longer a draft or scheduled.",
        "该营销活动已不是草稿或待发送状态。",
    ),
    (
        "Only a scheduled campaign can be cancelled.",
        "只有待发送的营销活动可以取消。",
    ),
    (
        "The campaign's segment was deleted.",
        "该营销活动的分群已被删除。",
    ),
    (
        "The campaign needs another look.",
        "请再检查一下这个营销活动。",
    ),
    ("Choose a saved segment.", "请选择一个已保存的分群。"),
    (
        "Choose a time that is not in the past.",
        "请选择一个未过去的时间。",
    ),
    ("Give the campaign a name.", "请为营销活动命名。"),
    (
        "Keep the name under 120 characters.",
        "名称请少于 120 个字符。",
    ),
    (
        "Choose the KPI the campaign aims to move.",
        "请选择该营销活动要提升的指标。",
    ),
    (
        "A campaign goes out as offers or news.",
        "营销活动以优惠或新闻的形式发送。",
    ),
    ("Write one to four variants.", "请编写一到四个版本。"),
    (
        "Write every part in both languages.",
        "请用两种语言填写每个部分。",
    ),
    ("This part is too long.", "这部分太长了。"),
    (
        "Hold out at most half of the audience.",
        "对照组最多为受众的一半。",
    ),
    (
        "Test the variants on 5 % to 50 % of the audience.",
        "请在 5% 到 50% 的受众上测试各版本。",
    ),
    (
        "Pick the winner after 1 to 168 hours.",
        "请在 1 到 168 小时后选出胜出版本。",
    ),
];
