//! Creating an order: validation, pricing from the menu, totals, the daily number's day,
//! and the `Idempotency-Key`; the writes go through the [`super::queue`].

use super::queue::{CreateOutcome, PendingOrder};
use super::{
    LinePlacement, NewOrder, OrderDesk, OrderError, check_lines, check_note, load, money_field,
    parse_id, price_lines, publish, totals_error,
};
use crate::events::EventKind;
use crate::store::orders::{self, Order, OrderState};
use crate::store::{StoreError, instant_text};
use dysa_domain::ids::{ItemId, UserId};
use dysa_domain::kitchen::AutoFire;
use dysa_domain::money::Clp;
use dysa_domain::order::{OrderStatus, TotalsLine, order_totals};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use sha2::{Digest, Sha256};

/// The result of a create: the order, and whether it was a replay of an earlier request.
#[derive(Debug)]
pub struct Created {
    /// The order.
    pub order: Order,
    /// True when the `Idempotency-Key` had already created it.
    pub replayed: bool,
}
/// The SHA-256 of the request as parsed, so the same order sent twice with different
/// whitespace still counts as the same body.
fn request_hash(input: &NewOrder) -> Result<String, StoreError> {
    let canonical = serde_json::to_vec(input)?;
    Ok(Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
/// Creates an order: validates, prices every line from the menu, computes totals and the
/// daily number, and stores header, lines, first transition and outbox rows in one
/// transaction. With an `Idempotency-Key`, the same key and body return the same order.
pub async fn create(
    desk: &OrderDesk,
    by: Option<UserId>,
    input: NewOrder,
    idempotency_key: Option<String>,
) -> Result<Created, OrderError> {
    let started = std::time::Instant::now();
    let channel = input.channel;
    let mut errors = FieldErrors::new();
    check_lines(&mut errors, "lines", &input.lines);
    check_note(&mut errors, "note", input.note.as_deref());
    money_field(&mut errors, "discount", input.discount);
    money_field(&mut errors, "tip", input.tip);
    if let Some(key) = &idempotency_key
        && (key.is_empty() || key.len() > 255)
    {
        errors.add("Idempotency-Key", FieldIssue::TooLong { max: 255 });
    }
    errors.into_result().map_err(OrderError::Invalid)?;
    // Only a keyed request needs its body fingerprint.
    let idempotency = match idempotency_key {
        Some(key) => Some((key, request_hash(&input)?)),
        None => None,
    };
    if let Some((key, hash)) = &idempotency
        && let Some((stored_hash, id)) =
            orders::idempotency_key(&desk.db.read, key, "orders").await?
    {
        return replay(desk, hash, &stored_hash, &id).await;
    }
    let settings = desk.restaurant.get(&desk.db.read).await?;
    let tz = settings.tz();
    // Pricing reads the menu from memory (reloaded after every menu change), in parallel
    // with other requests; only the writes queue on the single writer.
    let id = input.id.unwrap_or_default();
    let ids: Vec<ItemId> = input.lines.iter().map(|l| l.item_id).collect();
    let items = desk.db.menu_cache.items(&desk.db.read, &ids).await?;
    let mut errors = FieldErrors::new();
    // One instant for the order and its lines (formatting it is not free).
    let now = jiff::Timestamp::now();
    let created_at = instant_text(now);
    let placement = LinePlacement {
        order_id: id,
        first_position: 0,
        by,
        hlc: dysa_domain::hlc::Hlc::ZERO,
        created_at: created_at.clone(),
    };
    let lines = price_lines(&mut errors, &input.lines, |id| items.get(id), placement);
    errors.into_result().map_err(OrderError::Invalid)?;
    let totals_lines: Vec<TotalsLine> = lines
        .iter()
        .map(|l| TotalsLine {
            unit_price: l.line.unit_price,
            quantity: l.line.quantity,
            voided: false,
        })
        .collect();
    let totals = order_totals(
        &totals_lines,
        input.discount.unwrap_or(Clp::ZERO),
        input.tip.unwrap_or(Clp::ZERO),
        settings.tax_rate(),
    )
    .map_err(totals_error)?;
    let local = now.to_zoned(tz.clone());
    let totals_state = OrderState {
        status: OrderStatus::Pending,
        customer_id: input.customer_id,
        table_id: input.table_id,
        note: input
            .note
            .as_ref()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        subtotal: totals.subtotal,
        discount: totals.discount,
        total: totals.total,
        net: totals.net,
        tax: totals.tax,
        tax_rate_bp: totals.tax_rate.basis_points(),
        tip: totals.tip,
        amount_due: totals.amount_due,
        cancel_reason: None,
        covers: None,
        waiter_id: None,
        bill_requested_at: None,
    };
    let pending = PendingOrder {
        id,
        client_made_id: input.id.is_some(),
        channel: input.channel,
        by,
        business_date: local.date().to_string(),
        local_hour: i64::from(local.hour()),
        created_at,
        state: totals_state,
        lines,
        idempotency,
        fire_with: (settings.kitchen_auto_fire && AutoFire::of(channel) == AutoFire::OnPlacement)
            .then_some(tz),
    };
    match desk.queue.submit(pending).await? {
        CreateOutcome::Fresh(order) => {
            dysa_web::metrics::order_placed(channel.as_str(), started.elapsed());
            publish(desk, EventKind::OrderCreated, &order);
            Ok(Created {
                order: *order,
                replayed: false,
            })
        }
        CreateOutcome::Replay(id) => Ok(Created {
            order: load(desk, id).await?,
            replayed: true,
        }),
    }
}
async fn replay(
    desk: &OrderDesk,
    hash: &str,
    stored_hash: &str,
    id: &str,
) -> Result<Created, OrderError> {
    if stored_hash != hash {
        return Err(OrderError::IdempotencyMismatch);
    }
    Ok(Created {
        order: load(desk, parse_id(id)?).await?,
        replayed: true,
    })
}
