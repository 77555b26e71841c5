//! The arithmetic a campaign report rests on (`../shared/domain.md`,
//! "Messaging and campaigns"): who is held out (a stable hash of campaign
//! and member), which campaign a purchase belongs to (last touch: the
//! latest click within the click window, else the latest human open within
//! the open window), the conversion lift over the holdout with its 95 %
//! interval (normal approximation for a difference of two proportions),
//! incremental revenue, ROI, and an A/B winner with its confidence.

/// Which part of a campaign's audience a member is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arm {
    /// Gets nothing; measured the same way.
    Holdout,
    /// Gets variant `n` (0 = A). With several variants, only the test share.
    Variant(u8),
    /// Waits for the A/B winner.
    Rest,
}

impl Arm {
    /// Stored form: −1 holdout, −2 waiting for the winner, 0… the variant.
    pub fn code(self) -> i64 {
        match self {
            Arm::Holdout => -1,
            Arm::Rest => -2,
            Arm::Variant(n) => i64::from(n),
        }
    }

    /// Parses the stored form.
    pub fn from_code(c: i64) -> Option<Self> {
        match c {
            -1 => Some(Arm::Holdout),
            -2 => Some(Arm::Rest),
            0..=3 => Some(Arm::Variant(c as u8)),
            _ => None,
        }
    }
}

/// A number in 0..10,000 fixed by campaign and member (SplitMix64), so a
/// member's arm never changes and two campaigns hold out different members.
pub fn stable_bucket(campaign_id: i64, member_id: i64) -> u64 {
    let mut z = (campaign_id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(member_id as u64);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % 10_000
}

/// The member's arm: the first `holdout_percent` of buckets are held out;
/// with one variant everyone else gets it; with several, the next
/// `test_percent` of buckets share the variants evenly and the rest wait
/// for the winner.
pub fn arm_of(
    campaign_id: i64,
    member_id: i64,
    holdout_percent: u32,
    test_percent: u32,
    variants: u8,
) -> Arm {
    let b = stable_bucket(campaign_id, member_id);
    let holdout = u64::from(holdout_percent.min(100)) * 100;
    if b < holdout {
        return Arm::Holdout;
    }
    if variants <= 1 {
        return Arm::Variant(0);
    }
    let test = u64::from(test_percent.min(100)) * 100;
    if b < holdout + test {
        // Another mix of the same bucket spreads the test share evenly.
        let v = stable_bucket(member_id, campaign_id) % u64::from(variants);
        return Arm::Variant(v as u8);
    }
    Arm::Rest
}

/// How a member touched a campaign's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TouchKind {
    Click,
    /// A human open (machine opens never count).
    Open,
}

/// One touch: a click or a human open of a campaign's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touch {
    pub campaign_id: i64,
    pub kind: TouchKind,
    /// Seconds since the epoch.
    pub at: i64,
}

/// How far back a purchase looks for a touch, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub click_days: i64,
    pub open_days: i64,
}

impl Default for Windows {
    fn default() -> Self {
        Windows {
            click_days: 7,
            open_days: 2,
        }
    }
}

/// The campaign a purchase at `at` belongs to: the latest click at or
/// before it within the click window, else the latest human open within
/// the open window; none when neither.
pub fn attribute(at: i64, touches: &[Touch], w: Windows) -> Option<i64> {
    let latest = |kind: TouchKind, days: i64| {
        touches
            .iter()
            .filter(|t| t.kind == kind && t.at <= at && at - t.at <= days * 86_400)
            .max_by_key(|t| t.at)
            .map(|t| t.campaign_id)
    };
    latest(TouchKind::Click, w.click_days).or_else(|| latest(TouchKind::Open, w.open_days))
}

/// An estimate with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Conversion lift: rate(treated) − rate(holdout), with its 95 % interval
/// by the normal approximation (unpooled standard error); none when a
/// group is empty.
pub fn lift(treated: (u64, u64), holdout: (u64, u64)) -> Option<Interval> {
    let ((x1, n1), (x2, n2)) = (treated, holdout);
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let se = (p1 * (1.0 - p1) / n1 as f64 + p2 * (1.0 - p2) / n2 as f64).sqrt();
    let d = p1 - p2;
    Some(Interval {
        estimate: d,
        low: d - Z95 * se,
        high: d + Z95 * se,
    })
}

/// Incremental revenue: (revenue per treated member − revenue per holdout
/// member) × treated members, in minor units (rounded).
pub fn incremental_revenue(treated: (i64, u64), holdout: (i64, u64)) -> Option<i64> {
    let ((r1, n1), (r2, n2)) = (treated, holdout);
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let per = r1 as f64 / n1 as f64 - r2 as f64 / n2 as f64;
    Some((per * n1 as f64).round() as i64)
}

/// ROI = (incremental revenue − cost) ÷ cost; none without a cost.
pub fn roi(incremental: i64, cost: i64) -> Option<f64> {
    (cost > 0).then(|| (incremental - cost) as f64 / cost as f64)
}

/// The standard normal distribution function (Abramowitz & Stegun 7.1.26;
/// error below 1.5 × 10⁻⁷).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    // Exact at 0 (the polynomial is off by 10⁻⁹ there).
    let erf = if x == 0.0 {
        0.0
    } else {
        1.0 - poly * (-x * x).exp()
    };
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// The A/B winner among `(successes, members)` per variant: the highest
/// rate, with the confidence it beats the runner-up (one-sided pooled
/// two-proportion z-test, as Φ(z)). Ties go to the earlier variant; none
/// when no variant reached anyone.
pub fn winner(arms: &[(u64, u64)]) -> Option<(usize, f64)> {
    let rate = |(x, n): (u64, u64)| if n == 0 { -1.0 } else { x as f64 / n as f64 };
    let mut order: Vec<usize> = (0..arms.len()).filter(|&i| arms[i].1 > 0).collect();
    order.sort_by(|&a, &b| rate(arms[b]).total_cmp(&rate(arms[a])).then(a.cmp(&b)));
    let best = *order.first()?;
    let Some(&second) = order.get(1) else {
        return Some((best, 0.5));
    };
    let ((x1, n1), (x2, n2)) = (arms[best], arms[second]);
    let pooled = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    let confidence = if se == 0.0 {
        0.5
    } else {
        normal_cdf((rate(arms[best]) - rate(arms[second])) / se)
    };
    Some((best, confidence))
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
