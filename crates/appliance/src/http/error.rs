//! The API's error type, shared with the cloud (`dysa_web::error`), and how this
//! server's own errors map onto it.

pub use dysa_web::error::*;

use axum::http::StatusCode;
use dysa_domain::validate::FieldErrors;

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
        ApiError::internal(&error)
    }
}

impl From<crate::accounts::AccountError> for ApiError {
    fn from(error: crate::accounts::AccountError) -> Self {
        use crate::accounts::{AccountError as E, RefreshRefusal as R};
        match error {
            E::AlreadySetUp => ApiError::conflict(
                "already_set_up",
                "Este equipo ya está configurado; inicia sesión",
                "This appliance is already set up; sign in",
            ),
            E::Invalid(fields) => ApiError::validation(fields),
            E::EmailTaken { existing } => ApiError::conflict(
                "email_taken",
                "Ya existe un usuario con ese correo",
                "A user with that email already exists",
            )
            .with_details(serde_json::json!({ "existing_id": existing })),
            E::NotFound => ApiError::not_found("El usuario", "The user"),
            E::LastAdmin => ApiError::conflict(
                "last_admin",
                "Debe quedar al menos un administrador activo",
                "At least one active admin must remain",
            ),
            // One code for both, so clients and tests need not care; the words name what
            // the person typed (a cashier who typed a password is never told about a PIN).
            E::BadCredentials => ApiError::unauthenticated(
                "invalid_credentials",
                "Correo o contraseña incorrectos",
                "Wrong email or password",
            ),
            E::BadPin => {
                ApiError::unauthenticated("invalid_credentials", "PIN incorrecto", "Wrong PIN")
            }
            E::BadRecovery => ApiError::unauthenticated(
                "invalid_credentials",
                "Correo o código de recuperación incorrectos",
                "Wrong email or recovery code",
            ),
            E::NotLinked => ApiError::conflict(
                "not_linked",
                "Esta caja no está conectada a la nube: usa el código de recuperación impreso",
                "This counter is not linked to the cloud: use the printed recovery code",
            ),
            E::CloudUnavailable(_) => ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "cloud_unavailable",
                "No se pudo confirmar el código con la nube; revisa la conexión a internet",
                "The code could not be checked with the cloud; check the internet connection",
            ),
            E::Locked(secs) => ApiError::too_many_requests(secs),
            E::PasswordRequired => ApiError::forbidden(
                "password_required",
                "Esta cuenta debe entrar con su contraseña, no con el PIN",
                "This account must sign in with its password, not the PIN",
            ),
            E::RefreshRefused(reason) => {
                let (code, es, en) = match reason {
                    R::Unknown => (
                        "refresh_token_invalid",
                        "La sesión no es válida",
                        "The session is not valid",
                    ),
                    R::Expired => (
                        "refresh_token_expired",
                        "La sesión expiró",
                        "The session expired",
                    ),
                    R::Revoked => (
                        "session_revoked",
                        "La sesión fue cerrada",
                        "The session was closed",
                    ),
                    R::Reused => (
                        "refresh_token_reused",
                        "La sesión se cerró por seguridad: el token ya se había usado",
                        "The session was closed for safety: the token had already been used",
                    ),
                };
                ApiError::unauthenticated(code, es, en)
            }
            E::WrongCurrentPassword => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "current_password",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "no coincide con la clave actual".into(),
                        en: "does not match the current password".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::Store(e) => ApiError::internal(&e),
            E::Hash(e) => e.into(),
            E::Token(e) => ApiError::internal(&e),
            E::LocationKey(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::ordering::OrderError> for ApiError {
    fn from(error: crate::ordering::OrderError) -> Self {
        use crate::ordering::OrderError as E;
        use dysa_domain::order::TransitionError as T;
        use dysa_domain::payment::PaymentError as P;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::NotFound => ApiError::not_found("El pedido", "The order"),
            E::IdempotencyMismatch => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "Esa Idempotency-Key ya se usó con otro pedido",
                "That Idempotency-Key was already used with a different request",
            ),
            E::AlreadyExists(id) => ApiError::conflict(
                "order_exists",
                "Ya existe un pedido con ese id",
                "An order with that id already exists",
            )
            .with_details(serde_json::json!({ "existing_id": id })),
            E::Transition(T::ReasonRequired) => {
                let mut fields = FieldErrors::new();
                fields.add("reason", dysa_domain::validate::FieldIssue::Required);
                ApiError::validation(fields)
            }
            E::Transition(t) => {
                let (es, en) = match t {
                    T::SameState(s) => (
                        format!("El pedido ya está en estado {s}"),
                        format!("The order is already {s}"),
                    ),
                    T::Terminal(s) => (
                        format!("El pedido ya está {s}; no puede cambiar"),
                        format!("The order is {s}; it cannot change"),
                    ),
                    T::Backwards { from, to } => (
                        format!("Un pedido no vuelve de {from} a {to}"),
                        format!("An order cannot go back from {from} to {to}"),
                    ),
                    T::ReasonRequired => (String::new(), String::new()),
                };
                ApiError::conflict("illegal_transition", es, en)
            }
            E::Closed(status) => ApiError::conflict(
                "order_closed",
                format!("El pedido está {status}; ya no se puede modificar"),
                format!("The order is {status}; it can no longer change"),
            ),
            E::TableNotFound => ApiError::not_found("La mesa", "The table"),
            E::TableOccupied(order) => ApiError::conflict(
                "table_occupied",
                "La mesa ya tiene una cuenta abierta",
                "The table already has an open tab",
            )
            .with_details(serde_json::json!({ "order_id": order })),
            E::NotATab => ApiError::conflict(
                "not_a_tab",
                "Solo la cuenta abierta de una mesa se cambia de mesa",
                "Only a table's open tab moves between tables",
            ),
            E::Move(dysa_domain::floor::MoveError::SameTable) => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "table_id",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "la cuenta ya está en esa mesa".into(),
                        en: "the tab is already at that table".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::Move(dysa_domain::floor::MoveError::TableOccupied) => ApiError::conflict(
                "table_occupied",
                "La mesa ya tiene una cuenta abierta",
                "The table already has an open tab",
            ),
            E::Move(dysa_domain::floor::MoveError::NothingToMerge) => ApiError::conflict(
                "nothing_to_merge",
                "No hay una cuenta abierta en esa mesa para juntar",
                "There is no open tab at that table to merge with",
            ),
            E::Move(dysa_domain::floor::MoveError::TabHasPayments) => ApiError::conflict(
                "tab_has_payments",
                "La cuenta ya tiene pagos; cóbrala antes de juntarla",
                "The tab has payments; settle it before merging",
            ),
            E::Split(dysa_domain::bills::SplitError::LinePaid(line)) => ApiError::conflict(
                "line_paid",
                "Esa línea está en una cuenta que ya tiene pagos",
                "That line is on a bill that already has payments",
            )
            .with_details(serde_json::json!({ "line_id": line })),
            E::Split(error) => {
                let (es, en) = match &error {
                    dysa_domain::bills::SplitError::EmptyBill => (
                        "cada cuenta necesita al menos una línea".to_owned(),
                        error.to_string(),
                    ),
                    dysa_domain::bills::SplitError::UnknownLine(id) => (
                        format!("la línea {id} no es de esta cuenta"),
                        error.to_string(),
                    ),
                    dysa_domain::bills::SplitError::VoidedLine(id) => {
                        (format!("la línea {id} está anulada"), error.to_string())
                    }
                    dysa_domain::bills::SplitError::LineTwice(id) => {
                        (format!("la línea {id} está dos veces"), error.to_string())
                    }
                    _ => ("demasiadas cuentas".to_owned(), error.to_string()),
                };
                let mut fields = FieldErrors::new();
                fields.add("bills", dysa_domain::validate::FieldIssue::Other { es, en });
                ApiError::validation(fields)
            }
            E::SplitBothWays => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "bills",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "separa por puesto o por líneas, no ambas".into(),
                        en: "split by seat or by lines, not both".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::NoSuchBill => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "bill",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "la cuenta no tiene esa subcuenta".into(),
                        en: "the tab has no such bill".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::NoCancelRequest => ApiError::conflict(
                "no_cancel_request",
                "El pedido no tiene una solicitud de cancelación pendiente",
                "The order has no pending cancel request",
            ),
            E::LineAlreadyVoided => ApiError::conflict(
                "line_already_voided",
                "La línea ya estaba anulada",
                "The line was already voided",
            ),
            E::DiscountExceedsSubtotal => ApiError::conflict(
                "discount_exceeds_subtotal",
                "El descuento quedaría mayor que el subtotal; ajústalo primero",
                "The discount would exceed the subtotal; adjust it first",
            ),
            E::Payment(p) => {
                let (code, es, en) = match p {
                    P::InvalidAmount => (
                        "invalid_amount",
                        "El monto debe ser mayor que $0".to_owned(),
                        "The amount must be above $0".to_owned(),
                    ),
                    P::NothingDue => (
                        "nothing_due",
                        "El pedido ya está pagado".to_owned(),
                        "The order is already paid".to_owned(),
                    ),
                    P::Overpayment { balance, attempted } => (
                        "overpayment",
                        format!("El pago ({attempted}) supera el saldo ({balance})"),
                        format!("The payment ({attempted}) exceeds the balance ({balance})"),
                    ),
                    P::InsufficientCash { charged, received } => (
                        "insufficient_cash",
                        format!("El efectivo recibido ({received}) no cubre {charged}"),
                        format!("Cash received ({received}) does not cover {charged}"),
                    ),
                    P::RefundTooLarge { paid, attempted } => (
                        "refund_too_large",
                        format!("La devolución ({attempted}) supera lo pagado ({paid})"),
                        format!("The refund ({attempted}) exceeds what was paid ({paid})"),
                    ),
                    P::Money(_) => (
                        "invalid_amount",
                        "Monto fuera de rango".to_owned(),
                        "Amount out of range".to_owned(),
                    ),
                };
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, es, en)
            }
            E::RefundOfRefund => ApiError::conflict(
                "refund_of_refund",
                "Una devolución no se puede devolver",
                "A refund cannot be refunded",
            ),
            E::Drawer(d) => d.into(),
            E::Store(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::menu::MenuError> for ApiError {
    fn from(error: crate::menu::MenuError) -> Self {
        use crate::menu::MenuError as E;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::NotFound(thing) => {
                let (es, en) = thing.names();
                ApiError::not_found(es, en)
            }
            E::CategoryNameTaken { existing } => ApiError::conflict(
                "category_name_taken",
                "Ya existe una categoría con ese nombre",
                "A category with that name already exists",
            )
            .with_details(serde_json::json!({ "existing_id": existing })),
            E::ItemNameTaken { existing } => ApiError::conflict(
                "item_name_taken",
                "Ya existe un producto con ese nombre en la categoría",
                "An item with that name already exists in the category",
            )
            .with_details(serde_json::json!({ "existing_id": existing })),
            E::CategoryInUse { items } => ApiError::conflict(
                "category_in_use",
                format!(
                    "La categoría tiene {} productos; muévelos o elimínalos primero",
                    items.len()
                ),
                format!(
                    "The category has {} items; move or delete them first",
                    items.len()
                ),
            )
            .with_details(serde_json::json!({ "item_ids": items })),
            E::GroupInUse { items } => ApiError::conflict(
                "modifier_group_in_use",
                format!(
                    "{} productos usan este grupo; quítalo de ellos primero",
                    items.len()
                ),
                format!(
                    "{} items use this group; remove it from them first",
                    items.len()
                ),
            )
            .with_details(serde_json::json!({ "item_ids": items })),
            E::NotExportable { item, reason } => ApiError::conflict(
                "menu_not_exportable",
                format!("El producto «{item}» no se puede escribir en CSV ({reason})"),
                format!("The item \"{item}\" cannot be written as CSV ({reason})"),
            ),
            E::UnreadableCsv(reason) => ApiError::bad_request(
                "invalid_csv",
                format!("El archivo no es un CSV legible ({reason})"),
                format!("The file is not a readable CSV ({reason})"),
            ),
            E::Store(error) => ApiError::internal(&error),
        }
    }
}

impl From<crate::tables::TableError> for ApiError {
    fn from(error: crate::tables::TableError) -> Self {
        use crate::tables::TableError as E;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::NotFound => ApiError::not_found("La mesa", "The table"),
            E::NameTaken { existing } => ApiError::conflict(
                "table_name_taken",
                "Ya existe una mesa con ese nombre",
                "A table with that name already exists",
            )
            .with_details(serde_json::json!({ "existing_id": existing })),
            E::InUse(holding) => ApiError::conflict(
                "table_in_use",
                "La mesa tiene un pedido abierto o una reserva pendiente",
                "The table has an open order or a pending reservation",
            )
            .with_details(serde_json::json!({
                "order_id": holding.open_order,
                "reservation_id": holding.reservation,
            })),
            E::Store(error) => ApiError::internal(&error),
        }
    }
}

impl From<crate::assistant::AssistantError> for ApiError {
    fn from(error: crate::assistant::AssistantError) -> Self {
        use crate::assistant::AssistantError as E;
        match error {
            E::NotFound => ApiError::not_found("La conversación", "The conversation"),
            E::Closed => ApiError::conflict(
                "conversation_closed",
                "La conversación está cerrada",
                "The conversation is closed",
            ),
            E::Invalid(fields) => ApiError::validation(fields),
            E::Store(error) => ApiError::internal(&error),
        }
    }
}

impl From<crate::sync::ConnectError> for ApiError {
    fn from(error: crate::sync::ConnectError) -> Self {
        use crate::sync::ConnectError as E;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::AlreadyConnected(url) => ApiError::conflict(
                "cloud_already_connected",
                format!("Este equipo ya está conectado a {url}; desconéctalo primero"),
                format!("This appliance is already connected to {url}; disconnect it first"),
            ),
            E::Unreachable { url, detail } => {
                tracing::warn!(%url, %detail, "cloud unreachable while connecting");
                ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    "cloud_unreachable",
                    format!(
                        "No se pudo contactar la nube en {url}. Revisa la dirección y la conexión a internet, y vuelve a intentarlo"
                    ),
                    format!(
                        "Could not reach the cloud at {url}. Check the address and the internet connection, and try again"
                    ),
                )
            }
            E::Refused {
                status,
                message,
                fields,
            } => {
                // The cloud answered in the language this request asked for, so its text
                // stands for both.
                if status == 422 && !fields.is_empty() {
                    let mut errors = FieldErrors::new();
                    for (field, text) in fields {
                        errors.add(
                            field,
                            dysa_domain::validate::FieldIssue::Other {
                                es: text.clone(),
                                en: text,
                            },
                        );
                    }
                    ApiError::validation(errors)
                } else {
                    ApiError::conflict("enrollment_refused", message.clone(), message)
                }
            }
            E::BadResponse(detail) => {
                tracing::warn!(%detail, "unexpected answer while connecting");
                ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    "cloud_bad_response",
                    "La dirección respondió, pero no como la nube de ChatBotDysa; revisa la dirección",
                    "The address answered, but not as the ChatBotDysa cloud; check the address",
                )
            }
            E::Token(e) => ApiError::internal(&e),
            E::Store(e) => ApiError::internal(&e),
            E::LocationHasKey => ApiError::conflict(
                "location_has_counter",
                "Ese local ya tiene una caja con su propio personal y datos. Esta caja no se conectó y no perdió nada: para sumarla al local, úsala recién instalada y elige «Unir esta caja a un local existente»",
                "That restaurant already has a counter with its own staff and data. This counter was not linked and lost nothing: to add it to the restaurant, start it fresh and choose \"Join this counter to an existing restaurant\"",
            ),
            E::LocationKey(detail) => ApiError::internal(&std::io::Error::other(detail)),
        }
    }
}

impl From<crate::kitchen::KitchenError> for ApiError {
    fn from(error: crate::kitchen::KitchenError) -> Self {
        use crate::kitchen::KitchenError as E;
        match error {
            E::NotFound => ApiError::not_found("El pedido o la comanda", "The order or ticket"),
            E::NothingToFire => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "nothing_to_fire",
                "Ese tiempo no tiene productos por marchar",
                "That course has no lines waiting to be fired",
            ),
            E::Closed(status) => ApiError::conflict(
                "order_closed",
                "El pedido ya está cerrado",
                format!("The order is {status}"),
            ),
            E::AlreadyBumped => ApiError::conflict(
                "already_bumped",
                "Ya estaba despachado",
                "It was already bumped",
            ),
            E::NothingToRecall => {
                ApiError::not_found("Ninguna comanda despachada", "No bumped ticket")
            }
            E::Store(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::printing::PrintError> for ApiError {
    fn from(error: crate::printing::PrintError) -> Self {
        use crate::printing::PrintError as E;
        match error {
            E::NotFound => ApiError::not_found("El pedido", "The order"),
            E::NoPrinter => ApiError::conflict(
                "no_printer",
                "No hay impresora de caja configurada",
                "No counter printer is configured",
            ),
            E::Store(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::drawers::DrawerError> for ApiError {
    fn from(error: crate::drawers::DrawerError) -> Self {
        use crate::drawers::DrawerError as E;
        use dysa_domain::drawer::DrawerError as R;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::DrawerNotFound => ApiError::not_found("La caja", "The drawer"),
            E::SessionNotFound => ApiError::not_found("El turno de caja", "The drawer session"),
            E::NameTaken => ApiError::conflict(
                "drawer_name_taken",
                "Ya existe una caja con ese nombre en este mostrador",
                "This counter already has a drawer with that name",
            ),
            E::AlreadyOpen(id) => ApiError::conflict(
                "drawer_already_open",
                "Esta caja ya tiene un turno abierto; ciérralo antes de abrir otro",
                "This drawer already has an open session; close it before opening another",
            )
            .with_details(serde_json::json!({ "session_id": id })),
            E::NotThisCounter => ApiError::conflict(
                "drawer_of_another_counter",
                "Esta caja es de otro mostrador; solo se opera desde ese equipo",
                "This drawer belongs to another counter; only that counter operates it",
            ),
            E::NoOpenDrawer { drawer } => ApiError::conflict(
                "no_open_drawer",
                format!("No hay un turno abierto en la caja «{drawer}»: abre la caja para cobrar o devolver en efectivo"),
                format!("The drawer \"{drawer}\" has no open session: open it to take or refund cash"),
            )
            .with_details(serde_json::json!({ "drawer": drawer })),
            E::Rule(rule) => match rule {
                R::InvalidAmount | R::Money(_) => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_amount",
                    "Monto fuera de rango",
                    "Amount out of range",
                ),
                R::NotOpen(_) => ApiError::conflict(
                    "drawer_not_open",
                    "El turno ya se contó o se cerró; no admite más movimientos",
                    "The session was already counted or closed; it takes no more movements",
                ),
                R::NotEnoughCash { available } => ApiError::conflict(
                    "not_enough_cash",
                    format!("La caja debería tener solo {available}; no alcanza para ese retiro"),
                    format!("The drawer should hold only {available}; not enough for that"),
                ),
                R::CannotCount(_) => ApiError::conflict(
                    "drawer_already_counted",
                    "El turno ya está contado; un supervisor puede pedir un segundo conteo",
                    "The session is already counted; a manager can ask for a second count",
                ),
                R::CannotRecount(_) => ApiError::conflict(
                    "nothing_to_recount",
                    "Solo se puede pedir un segundo conteo de un turno contado y no cerrado",
                    "A second count can only be asked of a counted session not yet closed",
                ),
                R::NotCounted(_) => ApiError::conflict(
                    "drawer_not_counted",
                    "Cuenta la caja antes de cerrar el turno",
                    "Count the drawer before closing the session",
                ),
                R::AlreadyClosed => ApiError::conflict(
                    "drawer_session_closed",
                    "El turno de caja ya está cerrado",
                    "The drawer session is already closed",
                ),
            },
            E::Store(e) => ApiError::internal(&e),
        }
    }
}

impl From<crate::closing::ClosingError> for ApiError {
    fn from(error: crate::closing::ClosingError) -> Self {
        use crate::closing::ClosingError as E;
        use dysa_domain::closing::ClosingError as R;
        match error {
            E::Invalid(fields) => ApiError::validation(fields),
            E::AlreadyClosed(close) => ApiError::conflict(
                "day_closed",
                format!(
                    "El día {} ya está cerrado; sus cifras no cambian",
                    close.business_date
                ),
                format!(
                    "The day {} is already closed; its figures do not change",
                    close.business_date
                ),
            )
            .with_details(serde_json::json!({ "id": close.id, "closed_at": close.closed_at })),
            E::NotClosed => ApiError::new(
                StatusCode::NOT_FOUND,
                "day_not_closed",
                "Ese día aún no tiene cierre Z",
                "That day has no Z close yet",
            ),
            E::SessionNotFound => ApiError::not_found("El turno de caja", "The drawer session"),
            E::NoPrinter => ApiError::conflict(
                "no_printer",
                "No hay impresora de caja configurada",
                "No counter printer is configured",
            ),
            E::Rule(R::CutoffHour(_) | R::OutOfRange) => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "date",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "está fuera del calendario admitido".into(),
                        en: "is outside the supported calendar".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::Rule(R::Money(_)) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_amount",
                "Las cifras del día salen del rango admitido",
                "The day's figures are out of the supported range",
            ),
            E::Store(store) => store.into(),
        }
    }
}

impl From<crate::fiscal::FiscalError> for ApiError {
    fn from(error: crate::fiscal::FiscalError) -> Self {
        use crate::fiscal::FiscalError as E;
        match error {
            E::NotFound => ApiError::not_found("El documento", "The document"),
            E::NotRejected => ApiError::conflict(
                "not_rejected",
                "Solo un documento rechazado se puede reintentar",
                "Only a rejected document can be retried",
            ),
            E::InvalidToken => {
                let mut fields = FieldErrors::new();
                fields.add(
                    "access_token",
                    dysa_domain::validate::FieldIssue::Other {
                        es: "no es un token de acceso válido".into(),
                        en: "is not a valid access token".into(),
                    },
                );
                ApiError::validation(fields)
            }
            E::Vault(e) => ApiError::internal(&e),
            E::Store(e) => ApiError::internal(&e),
        }
    }
}
