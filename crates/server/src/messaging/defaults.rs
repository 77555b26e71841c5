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
        (TemplateKey::Birthday, false) => (
            "Happy birthday, {{ first_name }}!",
            "Happy birthday, {{ first_name }}!\n\n{% if birthday_bonus %}Your first purchase this birthday month earns {{ birthday_bonus }} bonus points.{% else %}Thank you for being with us.{% endif %}\n{{ portal_url }}\n",
            "<p>Happy birthday, {{ first_name }}!</p><p>{% if birthday_bonus %}Your first purchase this birthday month earns <strong>{{ birthday_bonus }}</strong> bonus points.{% else %}Thank you for being with us.{% endif %}</p><p><a href=\"{{ portal_url }}\">Your account</a></p>",
        ),
        (TemplateKey::Birthday, true) => (
            "{{ first_name }}，生日快乐！",
            "{{ first_name }}，生日快乐！\n\n{% if birthday_bonus %}生日月首次消费可额外获得 {{ birthday_bonus }} 积分。{% else %}感谢您一直以来的支持。{% endif %}\n{{ portal_url }}\n",
            "<p>{{ first_name }}，生日快乐！</p><p>{% if birthday_bonus %}生日月首次消费可额外获得 <strong>{{ birthday_bonus }}</strong> 积分。{% else %}感谢您一直以来的支持。{% endif %}</p><p><a href=\"{{ portal_url }}\">您的账户</a></p>",
        ),
        (TemplateKey::Holiday, false) => (
            "Happy {{ holiday_name }}, {{ first_name }}",
            "Happy {{ holiday_name }}, {{ first_name }}!\n\nYou have {{ balance }} points to enjoy: {{ portal_url }}\n",
            "<p>Happy {{ holiday_name }}, {{ first_name }}!</p><p>You have <strong>{{ balance }}</strong> points to enjoy. <a href=\"{{ portal_url }}\">See your rewards</a>.</p>",
        ),
        (TemplateKey::Holiday, true) => (
            "{{ first_name }}，{{ holiday_name }}快乐",
            "{{ first_name }}，{{ holiday_name }}快乐！\n\n您有 {{ balance }} 积分可以使用：{{ portal_url }}\n",
            "<p>{{ first_name }}，{{ holiday_name }}快乐！</p><p>您有 <strong>{{ balance }}</strong> 积分可以使用。<a href=\"{{ portal_url }}\">查看奖励</a>。</p>",
        ),
        (TemplateKey::TierUp, false) => (
            "You are now {{ tier }}",
            "Congratulations, {{ first_name }}: you moved up from {{ previous_tier }} to {{ tier }}.\n{% if next_tier %}{{ points_to_next_tier }} more points to {{ next_tier }}.{% endif %}\n{{ portal_url }}\n",
            "<p>Congratulations, {{ first_name }}: you moved up from {{ previous_tier }} to <strong>{{ tier }}</strong>.</p>{% if next_tier %}<p>{{ points_to_next_tier }} more points to {{ next_tier }}.</p>{% endif %}<p><a href=\"{{ portal_url }}\">See your benefits</a></p>",
        ),
        (TemplateKey::TierUp, true) => (
            "恭喜您升级为{{ tier }}",
            "{{ first_name }}，恭喜您从{{ previous_tier }}升级为{{ tier }}。\n{% if next_tier %}再获得 {{ points_to_next_tier }} 积分即可升级为{{ next_tier }}。{% endif %}\n{{ portal_url }}\n",
            "<p>{{ first_name }}，恭喜您从{{ previous_tier }}升级为<strong>{{ tier }}</strong>。</p>{% if next_tier %}<p>再获得 {{ points_to_next_tier }} 积分即可升级为{{ next_tier }}。</p>{% endif %}<p><a href=\"{{ portal_url }}\">查看您的权益</a></p>",
        ),
        (TemplateKey::TierDown, false) => (
            "Your tier is now {{ tier }}",
            "Hello {{ first_name }}, your tier changed from {{ previous_tier }} to {{ tier }}.\n{% if next_tier %}{{ points_to_next_tier }} points take you to {{ next_tier }}.{% endif %}\n{{ portal_url }}\n",
            "<p>Hello {{ first_name }}, your tier changed from {{ previous_tier }} to <strong>{{ tier }}</strong>.</p>{% if next_tier %}<p>{{ points_to_next_tier }} points take you to {{ next_tier }}.</p>{% endif %}<p><a href=\"{{ portal_url }}\">Your account</a></p>",
        ),
        (TemplateKey::TierDown, true) => (
            "您的等级已调整为{{ tier }}",
            "{{ first_name }}，您的等级已从{{ previous_tier }}调整为{{ tier }}。\n{% if next_tier %}获得 {{ points_to_next_tier }} 积分即可升级为{{ next_tier }}。{% endif %}\n{{ portal_url }}\n",
            "<p>{{ first_name }}，您的等级已从{{ previous_tier }}调整为<strong>{{ tier }}</strong>。</p>{% if next_tier %}<p>获得 {{ points_to_next_tier }} 积分即可升级为{{ next_tier }}。</p>{% endif %}<p><a href=\"{{ portal_url }}\">您的账户</a></p>",
        ),
        (TemplateKey::WinBack, false) => (
            "We miss you, {{ first_name }}",
            "Hello {{ first_name }}, it has been {{ days_since_purchase }} days since your last visit. Your {{ balance }} points are waiting: {{ portal_url }}\n",
            "<p>Hello {{ first_name }}, it has been {{ days_since_purchase }} days since your last visit.</p><p>Your <strong>{{ balance }}</strong> points are waiting. <a href=\"{{ portal_url }}\">Come and see what they get you</a>.</p>",
        ),
        (TemplateKey::WinBack, true) => (
            "{{ first_name }}，我们想念您",
            "{{ first_name }}，距离您上次消费已有 {{ days_since_purchase }} 天。您的 {{ balance }} 积分正在等您：{{ portal_url }}\n",
            "<p>{{ first_name }}，距离您上次消费已有 {{ days_since_purchase }} 天。</p><p>您的 <strong>{{ balance }}</strong> 积分正在等您。<a href=\"{{ portal_url }}\">看看能兑换什么</a>。</p>",
        ),
        // A campaign's text is its variant's; this stands in only if a
        // campaign was lost from under its messages.
        (TemplateKey::Campaign, false) => (
            "News from the programme",
            "Hello {{ first_name }}, see what is new: {{ portal_url }}\n",
            "<p>Hello {{ first_name }}, <a href=\"{{ portal_url }}\">see what is new</a>.</p>",
        ),
        (TemplateKey::Campaign, true) => (
            "会员计划新动态",
            "{{ first_name }}，看看有什么新内容：{{ portal_url }}\n",
            "<p>{{ first_name }}，<a href=\"{{ portal_url }}\">看看有什么新内容</a>。</p>",
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
