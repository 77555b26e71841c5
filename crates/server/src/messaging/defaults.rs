//! The built-in text of every template in English and Chinese, used until
//! an admin edits it. Fields are minijinja (`{{ name }}`); the HTML parts
//! are escaped when merged. The footer (why you get this, unsubscribe) is
//! added by the renderer, so an edit cannot drop it.

use patron_core::messaging::{TemplateKey, TemplateUpdate};

/// The built-in text of `key` in `language` (`zh`, else English).
pub fn text(key: TemplateKey, language: &str) -> TemplateUpdate {
    let zh = language == "zh";
    let (subject, text, html) = match (key, zh) {
        (TemplateKey::Welcome, false) => (
            "Welcome to the programme, {{ first_name }}",
            "Hello {{ first_name }},\n\nWelcome! Your card number is {{ card_number }} and you start in {{ tier }}.\nEvery purchase earns points; see them at {{ portal_url }}.\n",
            "<p>Hello {{ first_name }},</p><p>Welcome! Your card number is <strong>{{ card_number }}</strong> and you start in {{ tier }}.</p><p>Every purchase earns points: <a href=\"{{ portal_url }}\">see them in your account</a>.</p>",
        ),
        (TemplateKey::Welcome, true) => (
            "{{ first_name }}，欢迎加入会员计划",
            "{{ first_name }}，您好：\n\n欢迎加入！您的会员卡号是 {{ card_number }}，当前等级为 {{ tier }}。\n每次消费都能赚取积分，请在 {{ portal_url }} 查看。\n",
            "<p>{{ first_name }}，您好：</p><p>欢迎加入！您的会员卡号是 <strong>{{ card_number }}</strong>，当前等级为 {{ tier }}。</p><p>每次消费都能赚取积分：<a href=\"{{ portal_url }}\">在您的账户中查看</a>。</p>",
        ),
        (TemplateKey::PointsExpiring, false) => (
            "{{ points_expiring }} points expire on {{ expiry_date }}",
            "Hello {{ first_name }},\n\n{{ points_expiring }} of your points expire on {{ expiry_date }} (in {{ days_left }} days). Your balance is {{ balance }} points.\nUse them before then: {{ portal_url }}\n",
            "<p>Hello {{ first_name }},</p><p><strong>{{ points_expiring }}</strong> of your points expire on <strong>{{ expiry_date }}</strong> (in {{ days_left }} days). Your balance is {{ balance }} points.</p><p><a href=\"{{ portal_url }}\">Use them before then</a>.</p>",
        ),
        (TemplateKey::PointsExpiring, true) => (
            "您有 {{ points_expiring }} 积分将于 {{ expiry_date }} 过期",
            "{{ first_name }}，您好：\n\n您有 {{ points_expiring }} 积分将于 {{ expiry_date }} 过期（还剩 {{ days_left }} 天）。您当前的余额为 {{ balance }} 积分。\n请在过期前使用：{{ portal_url }}\n",
            "<p>{{ first_name }}，您好：</p><p>您有 <strong>{{ points_expiring }}</strong> 积分将于 <strong>{{ expiry_date }}</strong> 过期（还剩 {{ days_left }} 天）。您当前的余额为 {{ balance }} 积分。</p><p><a href=\"{{ portal_url }}\">请在过期前使用</a>。</p>",
        ),
        (TemplateKey::TicketReply, false) => (
            "Re: {{ ticket_subject }} [{{ ticket_reference }}]",
            "Hello {{ first_name }},\n\n{{ reply }}\n\nReply in your account: {{ portal_url }}\n",
            "<p>Hello {{ first_name }},</p><blockquote>{{ reply }}</blockquote><p><a href=\"{{ portal_url }}\">Reply in your account</a>.</p>",
        ),
        (TemplateKey::TicketReply, true) => (
            "回复：{{ ticket_subject }} [{{ ticket_reference }}]",
            "{{ first_name }}，您好：\n\n{{ reply }}\n\n请在您的账户中回复：{{ portal_url }}\n",
            "<p>{{ first_name }}，您好：</p><blockquote>{{ reply }}</blockquote><p><a href=\"{{ portal_url }}\">在您的账户中回复</a>。</p>",
        ),
    };
    TemplateUpdate {
        subject: subject.into(),
        text: text.into(),
        html: html.into(),
    }
}

/// The footer of a message in `language`: marketing ones say how to stop
/// them (`{unsubscribe}` is the signed link).
pub fn footer(language: &str, marketing: bool) -> (&'static str, &'static str) {
    match (language == "zh", marketing) {
        (false, true) => (
            "\n--\nYou get this because you opted in. Unsubscribe: {unsubscribe}\n",
            "<hr><p><small>You get this because you opted in. <a href=\"{unsubscribe}\">Unsubscribe</a>.</small></p>",
        ),
        (true, true) => (
            "\n--\n您收到此邮件是因为您订阅了此类消息。退订：{unsubscribe}\n",
            "<hr><p><small>您收到此邮件是因为您订阅了此类消息。<a href=\"{unsubscribe}\">退订</a>。</small></p>",
        ),
        (false, false) => (
            "\n--\nA service message about your membership.\n",
            "<hr><p><small>A service message about your membership.</small></p>",
        ),
        (true, false) => (
            "\n--\n这是一条关于您会员账户的服务消息。\n",
            "<hr><p><small>这是一条关于您会员账户的服务消息。</small></p>",
        ),
    }
}

/// What a topic is called on the unsubscribe page.
pub fn topic_label(topic: patron_core::messaging::Topic, language: &str) -> &'static str {
    use patron_core::messaging::Topic::*;
    let zh = language == "zh";
    match (topic, zh) {
        (Account, false) => "account messages",
        (Account, true) => "账户消息",
        (Service, false) => "service messages",
        (Service, true) => "服务消息",
        (EmailOffers, false) => "offers and promotions",
        (EmailOffers, true) => "优惠和促销",
        (News, false) => "programme news",
        (News, true) => "会员计划新闻",
        (PointsReminders, false) => "points reminders",
        (PointsReminders, true) => "积分提醒",
        (BirthdayGreetings, false) => "birthday greetings",
        (BirthdayGreetings, true) => "生日祝福",
        (WinBack, false) => "we-miss-you offers",
        (WinBack, true) => "回归优惠",
        (SurveyInvitations, false) => "survey invitations",
        (SurveyInvitations, true) => "问卷邀请",
    }
}
