//! Customers: the diners the restaurant knows, their search and their history.

use super::error::{ApiError, ErrorBody};
use super::extract::{Authorized, Json, Path, Query, perm};
use crate::customers::{self, CustomerChanges, CustomerError, CustomerStats, NewCustomer};
use crate::events::EventKind;
use crate::state::AppState;
use crate::store::customers::CustomerRecord;
use axum::extract::State;
use axum::http::StatusCode;
use dysa_domain::customer::Rut;
use dysa_domain::ids::{CustomerId, OrderId};
use dysa_domain::validate::FieldErrors;
use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this file.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_customers, create_customer))
        .routes(routes!(get_customer, update_customer, delete_customer))
        .routes(routes!(customer_orders))
}

/// Reads a field that may be absent (`None`), `null` (`Some(None)`) or a value.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A customer as clients see it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomerView {
    /// The customer's id.
    pub id: CustomerId,
    /// Name.
    pub name: String,
    /// Phone in E.164 (`+56987654321`).
    pub phone: Option<String>,
    /// Email, lower case.
    pub email: Option<String>,
    /// RUT, formatted `12.345.678-5`.
    pub rut: Option<Rut>,
    /// Staff notes.
    pub notes: Option<String>,
    /// Whether promotions may be sent.
    pub marketing_consent: bool,
    /// Creation time (RFC 3339).
    pub created_at: String,
}

impl From<&CustomerRecord> for CustomerView {
    fn from(record: &CustomerRecord) -> Self {
        CustomerView {
            id: record.id,
            name: record.name.clone(),
            phone: record.phone.clone(),
            email: record.email.clone(),
            rut: record.rut,
            notes: record.notes.clone(),
            marketing_consent: record.marketing_consent,
            created_at: record.created_at.clone(),
        }
    }
}

/// A customer with their history in numbers.
///
/// `order_count` and `total_spent` count completed orders only; `visit_count` is the
/// number of distinct local business days with a completed order or a completed/seated
/// reservation (a reservation on a day that has an order is the same visit);
/// `last_visit_at` is the latest such order or reservation.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomerDetail {
    /// The customer.
    #[serde(flatten)]
    pub customer: CustomerView,
    /// Distinct local days with a completed order or a completed/seated reservation.
    pub visit_count: u32,
    /// Completed orders.
    pub order_count: u32,
    /// Sum of the totals of completed orders, CLP.
    pub total_spent: i64,
    /// The latest visit (RFC 3339), if any.
    pub last_visit_at: Option<Timestamp>,
}

/// One page of customers.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomerPage {
    /// The customers of this page, by name.
    pub items: Vec<CustomerView>,
    /// How many match in all.
    pub total: i64,
    /// Page size used.
    pub limit: i64,
    /// Offset used.
    pub offset: i64,
}

/// One order in a customer's history.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomerOrder {
    /// The order.
    pub id: OrderId,
    /// Its daily number.
    pub number: i64,
    /// Its status.
    pub status: String,
    /// Total, CLP, IVA included.
    pub total: i64,
    /// When it was placed (RFC 3339).
    pub created_at: String,
}

/// One page of a customer's orders.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomerOrderPage {
    /// The orders of this page, newest first.
    pub items: Vec<CustomerOrder>,
    /// How many orders the customer has.
    pub total: i64,
    /// Page size used.
    pub limit: i64,
    /// Offset used.
    pub offset: i64,
}

/// Search and paging of the customer list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerListQuery {
    /// Name words (accents and case ignored), a phone in any format or some of its
    /// digits, or part of an email.
    pub q: Option<String>,
    /// Page size, 1–200 (50).
    pub limit: Option<i64>,
    /// Rows to skip (0).
    pub offset: Option<i64>,
}

/// Paging of a list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1–200 (50).
    pub limit: Option<i64>,
    /// Rows to skip (0).
    pub offset: Option<i64>,
}

/// Checks paging parameters: (limit, offset).
pub(crate) fn paging(limit: Option<i64>, offset: Option<i64>) -> Result<(i64, i64), ApiError> {
    let mut errors = FieldErrors::new();
    let paging = dysa_web::extract::check_paging(&mut errors, limit, offset);
    errors.into_result()?;
    Ok(paging)
}

/// A new customer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCustomerRequest {
    /// Name.
    pub name: String,
    /// Phone in any Chilean format (`9 8765 4321`, `+56 9 8765 4321`), or international
    /// with `+`; stored in E.164.
    #[serde(default)]
    pub phone: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// RUT with its check digit (`12.345.678-5`).
    #[serde(default)]
    pub rut: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Whether promotions may be sent (false).
    #[serde(default)]
    pub marketing_consent: bool,
}

/// Fields to change; absent fields stay, `null` clears an optional field.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomerRequest {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New phone, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    /// New email, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// New RUT, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub rut: Option<Option<String>>,
    /// New notes, or null.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// New consent.
    #[serde(default)]
    pub marketing_consent: Option<bool>,
}

impl From<CustomerError> for ApiError {
    fn from(error: CustomerError) -> Self {
        match error {
            CustomerError::Invalid(fields) => ApiError::validation(fields),
            CustomerError::Exists { existing, field } => {
                let (es, en) = match field {
                    "phone" => (
                        "Ya existe un cliente con ese teléfono",
                        "A customer with that phone already exists",
                    ),
                    _ => (
                        "Ya existe un cliente con ese correo",
                        "A customer with that email already exists",
                    ),
                };
                ApiError::conflict("customer_exists", es, en)
                    .with_details(serde_json::json!({ "existing_id": existing, "field": field }))
            }
            CustomerError::NotFound => ApiError::not_found("El cliente", "The customer"),
            CustomerError::Store(error) => ApiError::internal(&error),
        }
    }
}

fn detail(record: &CustomerRecord, stats: CustomerStats) -> CustomerDetail {
    CustomerDetail {
        customer: CustomerView::from(record),
        visit_count: stats.visit_count,
        order_count: stats.order_count,
        total_spent: stats.total_spent,
        last_visit_at: stats.last_visit_at,
    }
}

fn publish(state: &AppState, record: &CustomerRecord) {
    state.events.publish(
        EventKind::CustomerUpdated,
        record.id.to_string(),
        serde_json::json!({ "name": record.name, "deleted": record.deleted_at.is_some() }),
    );
}

/// Customers by name, or those matching a search.
#[utoipa::path(get, path = "/customers", tag = "customers", security(("bearer" = ["customers:read"])),
    params(CustomerListQuery),
    responses(
        (status = 200, body = CustomerPage),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn list_customers(
    State(state): State<AppState>,
    _: Authorized<perm::CustomersRead>,
    Query(query): Query<CustomerListQuery>,
) -> Result<axum::Json<CustomerPage>, ApiError> {
    let (limit, offset) = paging(query.limit, query.offset)?;
    let search = customers::parse_search(query.q.as_deref().unwrap_or(""));
    let (records, total) =
        crate::store::customers::search(&state.db.read, &search, limit, offset).await?;
    Ok(axum::Json(CustomerPage {
        items: records.iter().map(CustomerView::from).collect(),
        total,
        limit,
        offset,
    }))
}

/// Creates a customer.
#[utoipa::path(post, path = "/customers", tag = "customers", security(("bearer" = ["customers:write"])),
    request_body = CreateCustomerRequest,
    responses(
        (status = 201, body = CustomerView),
        (status = 409, description = "Same phone or email as an existing customer (`customer_exists`, details name it)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn create_customer(
    State(state): State<AppState>,
    _: Authorized<perm::CustomersWrite>,
    Json(body): Json<CreateCustomerRequest>,
) -> Result<(StatusCode, axum::Json<CustomerView>), ApiError> {
    let record = customers::create(
        &state.db,
        NewCustomer {
            name: body.name,
            phone: body.phone,
            email: body.email,
            rut: body.rut,
            notes: body.notes,
            marketing_consent: body.marketing_consent,
        },
    )
    .await?;
    publish(&state, &record);
    Ok((StatusCode::CREATED, axum::Json(CustomerView::from(&record))))
}

/// One customer with their visits, orders and spending.
#[utoipa::path(get, path = "/customers/{id}", tag = "customers", security(("bearer" = ["customers:read"])),
    params(("id" = CustomerId, Path, description = "Customer id")),
    responses((status = 200, body = CustomerDetail), (status = 404, body = ErrorBody)))]
async fn get_customer(
    State(state): State<AppState>,
    _: Authorized<perm::CustomersRead>,
    Path(id): Path<CustomerId>,
) -> Result<axum::Json<CustomerDetail>, ApiError> {
    let tz = state.restaurant.get(&state.db.read).await?.tz();
    let (record, stats) = customers::detail(&state.db, &tz, id).await?;
    Ok(axum::Json(detail(&record, stats)))
}

/// Changes some fields of a customer.
#[utoipa::path(patch, path = "/customers/{id}", tag = "customers", security(("bearer" = ["customers:write"])),
    params(("id" = CustomerId, Path, description = "Customer id")),
    request_body = UpdateCustomerRequest,
    responses(
        (status = 200, body = CustomerView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Same phone or email as another customer", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn update_customer(
    State(state): State<AppState>,
    _: Authorized<perm::CustomersWrite>,
    Path(id): Path<CustomerId>,
    Json(body): Json<UpdateCustomerRequest>,
) -> Result<axum::Json<CustomerView>, ApiError> {
    let record = customers::update(
        &state.db,
        id,
        CustomerChanges {
            name: body.name,
            phone: body.phone,
            email: body.email,
            rut: body.rut,
            notes: body.notes,
            marketing_consent: body.marketing_consent,
        },
    )
    .await?;
    publish(&state, &record);
    Ok(axum::Json(CustomerView::from(&record)))
}

/// Deletes a customer (a tombstone; orders and reservations keep their link).
#[utoipa::path(delete, path = "/customers/{id}", tag = "customers", security(("bearer" = ["customers:write"])),
    params(("id" = CustomerId, Path, description = "Customer id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody)))]
async fn delete_customer(
    State(state): State<AppState>,
    _: Authorized<perm::CustomersWrite>,
    Path(id): Path<CustomerId>,
) -> Result<StatusCode, ApiError> {
    let record = customers::delete(&state.db, id).await?;
    publish(&state, &record);
    Ok(StatusCode::NO_CONTENT)
}

/// A customer's orders, newest first.
#[utoipa::path(get, path = "/customers/{id}/orders", tag = "customers", security(("bearer" = ["customers:read"])),
    params(("id" = CustomerId, Path, description = "Customer id"), PageQuery),
    responses(
        (status = 200, body = CustomerOrderPage),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn customer_orders(
    State(state): State<AppState>,
    _: Authorized<perm::CustomersRead>,
    Path(id): Path<CustomerId>,
    Query(query): Query<PageQuery>,
) -> Result<axum::Json<CustomerOrderPage>, ApiError> {
    let (limit, offset) = paging(query.limit, query.offset)?;
    crate::store::customers::find(&state.db.read, id)
        .await?
        .ok_or_else(|| ApiError::from(CustomerError::NotFound))?;
    let (rows, total) = crate::store::customers::orders(&state.db.read, id, limit, offset).await?;
    Ok(axum::Json(CustomerOrderPage {
        items: rows
            .into_iter()
            .map(|(id, row)| CustomerOrder {
                id,
                number: row.number,
                status: row.status,
                total: row.total,
                created_at: row.created_at,
            })
            .collect(),
        total,
        limit,
        offset,
    }))
}
