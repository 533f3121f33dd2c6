//! Payments and refunds: rows of an append-only ledger, checked against the balance.

use super::{OrderDesk, OrderError, money_field, publish};
use crate::audit::Actor;
use crate::drawers::take_cash;
use crate::events::EventKind;
use crate::store::fiscal::{self as fiscal_store, FiscalStatus, Receptor};
use crate::store::orders::{self, Order, Payment};
use crate::store::{audit, instant_text};
use dysa_domain::audit::AuditAction;
use dysa_domain::bills::BillNo;
use dysa_domain::customer::{Rut, RutError};
use dysa_domain::drawer::MovementKind;
use dysa_domain::ids::{DrawerId, OrderId, PaymentId, UserId};
use dysa_domain::money::{Clp, TaxRate};
use dysa_domain::order::OrderStatus;
use dysa_domain::payment::{PaymentMethod, validate_payment, validate_refund};
use dysa_domain::validate::{FieldErrors, FieldIssue};
use serde::{Deserialize, Serialize};

/// A payment toward an order.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    /// The order it pays.
    pub order_id: OrderId,
    /// How.
    pub method: PaymentMethod,
    /// Amount toward the order (IVA included), without the tip.
    pub amount: Clp,
    /// Tip paid with it.
    #[serde(default)]
    pub tip: Option<Clp>,
    /// Cash handed over (for the change).
    #[serde(default)]
    pub received: Option<Clp>,
    /// Voucher or transfer reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// The drawer cash goes into (this counter's default drawer when absent); it must
    /// have an open session.
    #[serde(default)]
    pub drawer_id: Option<DrawerId>,
    /// The bill of a split tab it pays (`GET /orders/{id}/bills`), checked against that
    /// bill's balance; absent: the whole order's balance.
    #[serde(default)]
    pub bill: Option<BillNo>,
    /// A customer who asks for a factura instead of a boleta: its RUT (check digit
    /// verified), razón social and giro. Only when the restaurant issues tax documents
    /// (`fiscal_documents_enabled`).
    #[serde(default)]
    pub invoice_to: Option<InvoiceTo>,
}

/// The receptor of a factura, as the cashier types it.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceTo {
    /// RUT with its check digit (`76.018.303-2`).
    pub rut: String,
    /// Razón social.
    pub name: String,
    /// Giro (the business's activity).
    pub activity: String,
    /// Street address.
    #[serde(default)]
    pub address: Option<String>,
    /// Comuna.
    #[serde(default)]
    pub municipality: Option<String>,
}

impl InvoiceTo {
    /// Checks every field (the RUT's check digit among them) and answers the receptor
    /// the provider is given, the RUT written `76018303-2`.
    fn receptor(&self, errors: &mut FieldErrors) -> Option<Receptor> {
        errors.text("invoice_to.name", &self.name, 100);
        errors.text("invoice_to.activity", &self.activity, 80);
        errors.optional_text("invoice_to.address", self.address.as_deref(), 70);
        errors.optional_text("invoice_to.municipality", self.municipality.as_deref(), 40);
        let rut = match self.rut.parse::<Rut>() {
            Ok(rut) => Some(rut),
            Err(error) => {
                errors.add(
                    "invoice_to.rut",
                    FieldIssue::Other {
                        es: match error {
                            RutError::BadCheckDigit => {
                                "el dígito verificador no corresponde".into()
                            }
                            _ => "no es un RUT válido".into(),
                        },
                        en: match error {
                            RutError::BadCheckDigit => "the check digit does not match".into(),
                            _ => "is not a valid RUT".into(),
                        },
                    },
                );
                None
            }
        };
        let clean = |text: &Option<String>| {
            text.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        rut.map(|rut| Receptor {
            rut: format!("{}-{}", rut.body(), rut.check_digit()),
            name: self.name.trim().to_owned(),
            activity: self.activity.trim().to_owned(),
            address: clean(&self.address),
            municipality: clean(&self.municipality),
        })
    }
}

/// A recorded payment and where the order stands after it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentReceipt {
    /// The ledger row.
    pub payment: Payment,
    /// The order after the payment.
    pub order: Order,
}

/// Takes a payment: checked against the balance (cash rounded to $10, change computed);
/// several payments may settle one order.
pub async fn pay(
    desk: &OrderDesk,
    by: Option<UserId>,
    input: NewPayment,
) -> Result<PaymentReceipt, OrderError> {
    let mut errors = FieldErrors::new();
    errors.optional_text("reference", input.reference.as_deref(), 120);
    money_field(&mut errors, "received", input.received);
    let restaurant = desk.restaurant.get(&desk.db.read).await?;
    let fiscal = restaurant.fiscal_documents_enabled;
    let receptor = input
        .invoice_to
        .as_ref()
        .and_then(|to| to.receptor(&mut errors));
    if input.invoice_to.is_some() && !fiscal {
        errors.add(
            "invoice_to",
            FieldIssue::Other {
                es: "este local no emite documentos tributarios desde la caja".into(),
                en: "this restaurant does not issue tax documents from the counter".into(),
            },
        );
    }
    errors.into_result().map_err(OrderError::Invalid)?;
    let db = desk.db.clone();
    let receipt = desk
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let order = orders::load(conn, input.order_id)
                    .await?
                    .ok_or(OrderError::NotFound)?;
                if order.status == OrderStatus::Cancelled {
                    return Err(OrderError::Closed(order.status));
                }
                let tip = input.tip.unwrap_or(Clp::ZERO);
                // A split tab's bill is paid against its own balance, and the payment
                // records the bill's lines (what the diner paid for).
                let bill = match input.bill {
                    Some(number) => Some(
                        super::bills::bills_of(conn, &order)
                            .await?
                            .into_iter()
                            .find(|b| b.number == number)
                            .ok_or(OrderError::NoSuchBill)?,
                    ),
                    None => None,
                };
                let balance = bill.as_ref().map_or(order.payment.balance, |b| {
                    b.payment.balance.min(order.payment.balance)
                });
                let accepted =
                    validate_payment(balance, input.method, input.amount, tip, input.received)?;
                let payment = Payment {
                    id: PaymentId::new(),
                    order_id: order.id,
                    method: input.method,
                    amount: accepted.row.amount,
                    tip: accepted.row.tip,
                    received: (input.method == PaymentMethod::Cash).then(|| {
                        input
                            .received
                            .unwrap_or(Clp(accepted.row.amount.0 + accepted.row.tip.0))
                    }),
                    change: (input.method == PaymentMethod::Cash).then_some(accepted.change),
                    refund_of: None,
                    reference: input
                        .reference
                        .map(|r| r.trim().to_owned())
                        .filter(|r| !r.is_empty()),
                    created_by: by,
                    created_at: instant_text(jiff::Timestamp::now()),
                    bill: bill.as_ref().map(|b| b.number),
                    bill_lines: bill.map(|b| b.lines),
                };
                let hlc = db.tick();
                if payment.method == PaymentMethod::Cash {
                    let cash = Clp(payment.amount.0 + payment.tip.0);
                    take_cash(
                        conn,
                        hlc,
                        input.drawer_id,
                        MovementKind::Sale,
                        cash,
                        payment.id,
                        by,
                    )
                    .await?;
                }
                orders::insert_payment(conn, &payment, hlc).await?;
                if fiscal && payment.amount.0 > 0 {
                    let document = crate::fiscal::sale_document(crate::fiscal::Sale {
                        order_id: order.id.to_string(),
                        order_label: dysa_domain::numbering::label(order.number),
                        payment_id: payment.id.0,
                        amount: payment.amount,
                        rate: TaxRate::from_basis_points(order.tax_rate_bp).unwrap_or_default(),
                        receptor,
                        at: &payment.created_at,
                    });
                    fiscal_store::enqueue(conn, &document).await?;
                }
                let order = orders::load(conn, order.id)
                    .await?
                    .ok_or(OrderError::NotFound)?;
                Ok(PaymentReceipt { payment, order })
            })
        })
        .await?;
    if fiscal {
        desk.fiscal_wake.notify_one();
    }
    publish(desk, EventKind::OrderUpdated, &receipt.order);
    Ok(receipt)
}

/// A refund request.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// How much to give back (defaults to everything left of that payment).
    pub amount: Option<Clp>,
    /// Why.
    pub reason: Option<String>,
    /// The drawer a cash refund is paid from (this counter's default drawer when
    /// absent); it must have an open session.
    #[serde(default)]
    pub drawer_id: Option<DrawerId>,
}

/// Refunds (part of) a payment as a new negative ledger row.
pub async fn refund(
    desk: &OrderDesk,
    actor: &Actor,
    payment_id: PaymentId,
    request: RefundRequest,
) -> Result<PaymentReceipt, OrderError> {
    let by = actor.user_id;
    let actor = actor.clone();
    let mut errors = FieldErrors::new();
    errors.optional_text("reason", request.reason.as_deref(), 500);
    errors.into_result().map_err(OrderError::Invalid)?;
    let db = desk.db.clone();
    let receipt = desk
        .writer
        .write(move |conn| {
            Box::pin(async move {
                let original = orders::payment(&mut *conn, payment_id)
                    .await?
                    .ok_or(OrderError::NotFound)?;
                if original.refund_of.is_some() || original.amount.is_negative() {
                    return Err(OrderError::RefundOfRefund);
                }
                let ledger = orders::payments_of(&mut *conn, original.order_id).await?;
                let already: i64 = ledger
                    .iter()
                    .filter(|p| p.refund_of == Some(payment_id))
                    .map(|p| -(p.amount.0 + p.tip.0))
                    .sum();
                let refundable = Clp(original.amount.0 + original.tip.0 - already);
                let amount = request.amount.unwrap_or(refundable);
                let row = validate_refund(refundable, original.method, amount)?;
                let payment = Payment {
                    id: PaymentId::new(),
                    order_id: original.order_id,
                    method: original.method,
                    amount: row.amount,
                    tip: Clp::ZERO,
                    received: None,
                    change: None,
                    refund_of: Some(payment_id),
                    reference: request
                        .reason
                        .map(|r| r.trim().to_owned())
                        .filter(|r| !r.is_empty()),
                    created_by: by,
                    created_at: instant_text(jiff::Timestamp::now()),
                    // A refund gives back on the bill that was paid.
                    bill: original.bill,
                    bill_lines: None,
                };
                let hlc = db.tick();
                if payment.method == PaymentMethod::Cash {
                    take_cash(
                        conn,
                        hlc,
                        request.drawer_id,
                        MovementKind::Refund,
                        Clp(-payment.amount.0),
                        payment.id,
                        by,
                    )
                    .await?;
                }
                orders::insert_payment(conn, &payment, hlc).await?;
                // A refund of a documented payment is documented too: its credit note
                // goes after the boleta in the queue, whatever the setting says now.
                let documented = fiscal_store::of_payment(conn, &payment_id.to_string())
                    .await?
                    .filter(|d| d.status != FiscalStatus::Rejected);
                let credit = documented.is_some();
                if let Some(original_doc) = documented {
                    let order = orders::load(conn, original.order_id)
                        .await?
                        .ok_or(OrderError::NotFound)?;
                    let note = crate::fiscal::credit_note(
                        &original_doc,
                        payment.id.0,
                        payment.amount,
                        TaxRate::from_basis_points(order.tax_rate_bp).unwrap_or_default(),
                        payment.reference.clone(),
                        &payment.created_at,
                    );
                    fiscal_store::enqueue(conn, &note).await?;
                }
                let order = orders::load(conn, original.order_id)
                    .await?
                    .ok_or(OrderError::NotFound)?;
                let event = actor.event(
                    AuditAction::Refund,
                    "payment",
                    Some(payment_id.to_string()),
                    Some(serde_json::json!({
                        "amount": original.amount,
                        "refundable": refundable,
                    })),
                    Some(serde_json::json!({
                        "refund_id": payment.id,
                        "amount": payment.amount,
                        "method": payment.method,
                        "order_id": order.id,
                        "order_number": order.number,
                        "reason": payment.reference,
                    })),
                );
                audit::record(conn, &event, db.tick()).await?;
                Ok((PaymentReceipt { payment, order }, credit))
            })
        })
        .await?;
    let (receipt, credit) = receipt;
    if credit {
        desk.fiscal_wake.notify_one();
    }
    publish(desk, EventKind::OrderUpdated, &receipt.order);
    Ok(receipt)
}
