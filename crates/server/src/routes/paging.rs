//! Offset paging of member lists (segment members, the at-risk list): the
//! query parameters and their bounds.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult};

/// Paging of member lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Rows to skip (default 0).
    #[param(minimum = 0)]
    pub(crate) offset: Option<i64>,
    /// Rows to return, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub(crate) limit: Option<i64>,
}

pub(crate) fn paging(p: &PageParams) -> ApiResult<(i64, i64)> {
    let offset = p.offset.unwrap_or(0);
    let limit = p.limit.unwrap_or(50);
    if offset < 0 {
        return Err(ApiError::field("offset", "The offset cannot be negative."));
    }
    if !(1..=200).contains(&limit) {
        return Err(ApiError::field("limit", "Ask for 1 to 200 rows."));
    }
    Ok((offset, limit))
}
