//! Dataverse's error answers, `{"error":{"code":"0x…","message":"…"}}` with the status
//! (and `Retry-After`) Dataverse sends: one constructor per error the simulator gives,
//! each citing where its code and words come from.
//!
//! Shape and statuses: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors
//! Codes and message templates: https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An OData error answer.
#[derive(Debug)]
pub(crate) struct ODataError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl IntoResponse for ODataError {
    fn into_response(self) -> Response {
        let mut response = super::json(
            self.status,
            json!({ "error": { "code": self.code, "message": self.message } }),
        );
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub(crate) type Answer<T = Response> = Result<T, ODataError>;

fn error(status: StatusCode, code: &'static str, message: impl Into<String>) -> ODataError {
    ODataError {
        status,
        code,
        message: message.into(),
        retry_after: None,
    }
}

/// The help link Dataverse puts in payload errors (web-service-error-codes,
/// ODataClientPayloadError; troubleshoot/power-platform/dataverse/dataverse-web-api-and-sdk/web-api-client-errors).
const PAYLOAD_HELP: &str = "https://go.microsoft.com/fwlink/?linkid=2195293";

/// 404 `0x8006088a` for an unknown entity set (or function): names are case-sensitive.
/// Source: https://learn.microsoft.com/troubleshoot/power-platform/dataverse/dataverse-web-api-and-sdk/web-api-client-errors#resource-not-found-for-the-segment
pub(crate) fn resource_not_found(segment: &str) -> ODataError {
    error(
        StatusCode::NOT_FOUND,
        "0x8006088a",
        format!("Resource not found for the segment '{segment}'."),
    )
}

/// 404 with an empty code for a known resource used with the wrong method.
/// Source: …/web-api-client-errors#no-http-resource-was-found-that-matches-the-request-uri
pub(crate) fn no_http_resource(url: &str) -> ODataError {
    error(
        StatusCode::NOT_FOUND,
        "",
        format!("No HTTP resource was found that matches the request URI '{url}'."),
    )
}

/// 405 for a method the resource does not take (PATCH or DELETE on a collection).
/// Source: compose-http-requests-handle-errors#identify-status-codes (405 "for incorrect
/// method and resource combinations"); the code and message are UNVERIFIED.
pub(crate) fn method_not_allowed(method: &str) -> ODataError {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "0x80060888",
        format!("The requested resource does not support http method '{method}'."),
    )
}

/// 400 for a property the type does not have, in `$select`, `$filter` or `$orderby`.
/// Message: …/web-api-client-errors#could-not-find-a-property-named-property-name-on-type-microsoftdynamicscrmentity-name
/// (property names are case-sensitive). The page shows code `0x0`; today's service
/// answers `0x80060888` (field reports): UNVERIFIED.
pub(crate) fn unknown_property(name: &str, type_name: &str) -> ODataError {
    query_error(format!(
        "Could not find a property named '{name}' on type '{type_name}'."
    ))
}

/// 400 for a query Dataverse's OData parser refuses (syntax, types, options). The code
/// is the one Dataverse gives its OData parser's errors (field reports, see
/// [`unknown_property`]); messages follow Microsoft.OData's wording: UNVERIFIED.
pub(crate) fn query_error(message: impl Into<String>) -> ODataError {
    error(StatusCode::BAD_REQUEST, "0x80060888", message)
}

/// 400 for a system query option Dataverse does not support: `$skip`, `$search`,
/// `$format`, or any other name, option names being case-sensitive.
/// Source: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/overview#odata-query-options
/// ("Option names are case-sensitive"; "#unsupported-odata-query-options"). The wording
/// is UNVERIFIED; refusing unknown non-`$` parameters (other than `tag` and `@` aliases,
/// both documented) is UNVERIFIED too.
pub(crate) fn unsupported_option(name: &str) -> ODataError {
    query_error(format!("The query parameter {name} is not supported"))
}

/// 400 for a key that is not a GUID, e.g. `contacts(abc)`: UNVERIFIED wording.
pub(crate) fn bad_key(segment: &str) -> ODataError {
    query_error(format!(
        "Bad Request - Error in query syntax. The key in '{segment}' is not a valid Edm.Guid."
    ))
}

/// 400 `0x8004112A` (QueryBuilderInvalidPagingCookie) for a `$skiptoken` the server did
/// not issue; clients must follow `@odata.nextLink` as-is
/// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/page-results).
pub(crate) fn bad_paging_cookie() -> ODataError {
    error(
        StatusCode::BAD_REQUEST,
        "0x8004112A",
        "Invalid page number in paging cookie.",
    )
}

/// 404 `0x80040217` (ObjectDoesNotExist) for a missing record (domain.md §3, from client
/// code; the code is in web-service-error-codes).
pub(crate) fn record_missing(logical: &str, id: &str) -> ODataError {
    error(
        StatusCode::NOT_FOUND,
        "0x80040217",
        format!("Entity '{logical}' With Id = {id} Does Not Exist"),
    )
}

/// 404 `0x80040217` for an unknown table in `EntityDefinitions(LogicalName='x')`
/// (ObjectDoesNotExist; the message is UNVERIFIED).
pub(crate) fn table_missing(logical: &str) -> ODataError {
    error(
        StatusCode::NOT_FOUND,
        "0x80040217",
        format!("Could not find an entity with LogicalName '{logical}'."),
    )
}

/// 404 for an upsert refused by `If-Match: *`.
/// Source: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#prevent-create-in-upsert
pub(crate) fn upsert_create_prevented(logical: &str, id: &str) -> ODataError {
    error(
        StatusCode::NOT_FOUND,
        "",
        format!("{logical} With Id = {id} Does Not Exist"),
    )
}

/// 412 for an upsert refused by `If-None-Match: *` (…#prevent-update-in-upsert); also a
/// create whose key exists (UNVERIFIED there).
pub(crate) fn record_exists() -> ODataError {
    error(
        StatusCode::PRECONDITION_FAILED,
        "",
        "A record with matching key values already exists.",
    )
}

/// 412 for an `If-Match` ETag that is not the record's.
/// Source: …/perform-conditional-operations-using-web-api#apply-optimistic-concurrency
pub(crate) fn version_mismatch() -> ODataError {
    error(
        StatusCode::PRECONDITION_FAILED,
        "",
        "The version of the existing record doesn't match the RowVersion property provided.",
    )
}

/// 400 `0x80048d19` (ODataClientPayloadError) with its documented template around the
/// OData reader's complaint (`inner`).
/// Source: web-service-error-codes (ODataClientPayloadError) and …/web-api-client-errors#error-identified-in-payload-provided-by-the-user-for-entity-entity-name
pub(crate) fn payload(set: &str, inner: &str) -> ODataError {
    error(
        StatusCode::BAD_REQUEST,
        "0x80048d19",
        format!(
            "Error identified in Payload provided by the user for Entity :'{set}', For more information on this error please follow this help link {PAYLOAD_HELP}  ---->  InnerException : {inner}."
        ),
    )
}

/// A written property the entity does not have (…/web-api-client-errors#invalid-property-property-name-was-found-in-entity-microsoftdynamicscrmentity-name).
pub(crate) fn invalid_property(set: &str, name: &str, type_name: &str) -> ODataError {
    payload(
        set,
        &format!("Microsoft.Crm.CrmException: Invalid property '{name}' was found in entity '{type_name}'. ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type."),
    )
}

/// An `x@odata.bind` for a navigation property the entity does not have
/// (…/web-api-client-errors#innerexception--microsoftodataodataexception-an-undeclared-property--was-found-in-the-payload).
pub(crate) fn undeclared_property(set: &str, name: &str) -> ODataError {
    payload(
        set,
        &format!("Microsoft.OData.ODataException: An undeclared property '{name}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values."),
    )
}

/// A value of the wrong JSON type for its column: the OData reader's conversion error
/// inside the payload error (wording UNVERIFIED).
pub(crate) fn wrong_type(set: &str, value: &serde_json::Value, edm: &str) -> ODataError {
    payload(
        set,
        &format!("Microsoft.OData.ODataException: Cannot convert the literal '{value}' to the expected type '{edm}'."),
    )
}

/// 400 `0x80044331` (StringLengthTooLong, web-service-error-codes) with the message
/// Dataverse gives for the attribute (field reports of `[0x80044331:StringLengthTooLong]`).
pub(crate) fn string_too_long(column: &str, entity: &str, max: usize) -> ODataError {
    error(
        StatusCode::BAD_REQUEST,
        "0x80044331",
        format!("A validation error occurred. The length of the '{column}' attribute of the '{entity}' entity exceeded the maximum allowed length of '{max}'."),
    )
}

/// 400 for a whole number outside the column's MinValue–MaxValue. Message as domain.md
/// gives it; the code (the validation one) is UNVERIFIED.
pub(crate) fn out_of_range(
    value: i64,
    column: &str,
    entity: &str,
    min: i64,
    max: i64,
) -> ODataError {
    error(
        StatusCode::BAD_REQUEST,
        "0x80044331",
        format!("A validation error occurred. The value {value} of '{column}' on record of type '{entity}' is outside the valid range. Accepted Range: {min} to {max}"),
    )
}

/// 400 `0x8004431A` (PicklistValueOutOfRange, web-service-error-codes) for a choice
/// value that is not one of the column's options; the message is UNVERIFIED.
pub(crate) fn not_an_option(value: i64, column: &str, entity: &str) -> ODataError {
    error(
        StatusCode::BAD_REQUEST,
        "0x8004431A",
        format!("A validation error occurred. The value {value} of '{column}' on record of type '{entity}' is outside the valid range."),
    )
}

/// 403 `0x80040220` (PrivilegeDenied) for a user whose roles lack the table privilege.
/// Code: web-service-error-codes; status 403: compose-http-requests-handle-errors
/// ("PrivilegeDenied"). The message follows what Dataverse writes ("Principal user
/// (Id=…) is missing prvReadAccount privilege…"); its details are UNVERIFIED.
pub(crate) fn privilege_denied(
    user_id: &str,
    privilege: &str,
    object_type_code: u32,
    logical: &str,
) -> ODataError {
    error(
        StatusCode::FORBIDDEN,
        "0x80040220",
        format!("Principal user (Id={user_id}, type=8, roleCount=1, privilegeCount=0, accessMode=0), is missing {privilege} privilege (Id={}) on OTC={object_type_code} for entity '{logical}'. context.Caller={user_id}", super::stable_guid(privilege)),
    )
}

/// Which service protection limit a 429 reports.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Limit {
    Requests { limit: u32, window_secs: u64 },
    Concurrency { limit: usize },
}

/// 429 with `Retry-After` and the limit's documented code and message.
/// Source: https://learn.microsoft.com/power-apps/developer/data-platform/api-limits#service-protection-api-limit-errors
pub(crate) fn throttled(limit: Limit, retry_after_secs: u64) -> ODataError {
    let (code, message) = match limit {
        Limit::Requests { limit, window_secs } => ("0x80072322", format!("Number of requests exceeded the limit of {limit} over time window of {window_secs} seconds.")),
        Limit::Concurrency { limit } => ("0x80072326", format!("Number of concurrent requests exceeded the limit of {limit}.")),
    };
    ODataError {
        retry_after: Some(retry_after_secs.max(1)),
        ..error(StatusCode::TOO_MANY_REQUESTS, code, message)
    }
}

/// 414 for a URL over 32,768 characters. The limit is documented
/// (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors#maximum-url-length,
/// …/query/overview#url-length-limitations); the status and body are UNVERIFIED.
pub(crate) fn url_too_long(length: usize, limit: usize) -> ODataError {
    error(
        StatusCode::URI_TOO_LONG,
        "",
        format!("The request URL is {length} characters long; the most accepted is {limit}. Send long queries inside a $batch request."),
    )
}

/// 500 `0x80040216` (UnExpected, web-service-error-codes).
pub(crate) fn unexpected() -> ODataError {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "0x80040216",
        "An unexpected error occurred.",
    )
}

/// 501 `0x80040219` (NotImplemented, web-service-error-codes) for what Dataverse does
/// but the simulator does not (`$expand`, `$apply`, other query functions): a client
/// test that needs it fails loudly instead of passing on a silently ignored option.
pub(crate) fn not_implemented(what: &str) -> ODataError {
    error(
        StatusCode::NOT_IMPLEMENTED,
        "0x80040219",
        format!("The requested functionality is not yet implemented. (The simulator does not implement {what}.)"),
    )
}
