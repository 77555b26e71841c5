//! What every chart is fed: named rows of values, and histogram bins.

/// One named row of values, one per category (x label).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    /// `f64::NAN` is "no data": a gap.
    pub values: Vec<f64>,
}

/// One histogram bar: how many fell in `from..to`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub count: u64,
}
