//! The site's content pages: home, plans, success stories, contact and the legal texts.

use super::{Caching, Meta, PageLang, html};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// A plan as the site shows it (the sign-up's `plan` values).
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// `basic`, `pro` or `enterprise`.
    pub id: &'static str,
    /// Name, es / en.
    pub name: (&'static str, &'static str),
    /// Monthly price, CLP, IVA included.
    pub monthly: i64,
    /// One line on who it is for, es / en.
    pub audience: (&'static str, &'static str),
    /// What it includes, es / en.
    pub features: &'static [(&'static str, &'static str)],
    /// The plan the page highlights.
    pub highlighted: bool,
}

/// The plans, cheapest first. Prices include IVA.
pub const PLANS: &[Plan] = &[
    Plan {
        id: "basic",
        name: ("Básico", "Basic"),
        monthly: 12_990,
        audience: (
            "Para un local que quiere ordenar su mesón.",
            "For one restaurant getting its counter in order.",
        ),
        features: &[
            (
                "App de mesón que funciona sin internet",
                "Counter app that works offline",
            ),
            (
                "Pedidos, comandas por estación y caja con arqueo",
                "Orders, kitchen tickets per station and a counted cash drawer",
            ),
            (
                "Asistente de IA local en el computador del local",
                "Local AI assistant on the restaurant's PC",
            ),
            ("Panel web para el dueño", "Web dashboard for the owner"),
            (
                "1 local, usuarios ilimitados",
                "1 location, unlimited staff",
            ),
            (
                "Hasta 3 equipos (mesón, cocina) por local",
                "Up to 3 devices (counter, kitchen) per location",
            ),
        ],
        highlighted: false,
    },
    Plan {
        id: "pro",
        name: ("Pro", "Pro"),
        monthly: 29_990,
        audience: (
            "Para vender en línea sin pagar comisión por pedido.",
            "For selling online with no commission per order.",
        ),
        features: &[
            ("Todo lo del plan Básico", "Everything in Basic"),
            (
                "Widget de pedidos y reservas para tu sitio web",
                "Ordering and booking widget for your website",
            ),
            (
                "Página propia del restaurante con el widget abierto",
                "A hosted page for your restaurant with the widget open",
            ),
            (
                "Chat con el asistente: toma pedidos y responde dudas del menú",
                "Chat with the assistant: takes orders and answers menu questions",
            ),
            (
                "Pedidos y consultas por WhatsApp",
                "Orders and questions over WhatsApp",
            ),
            ("Hasta 3 locales", "Up to 3 locations"),
            (
                "Hasta 10 equipos por local",
                "Up to 10 devices per location",
            ),
        ],
        highlighted: true,
    },
    Plan {
        id: "enterprise",
        name: ("Cadena", "Chain"),
        monthly: 59_990,
        audience: (
            "Para cadenas y franquicias con varios locales.",
            "For chains and franchises with many locations.",
        ),
        features: &[
            ("Todo lo del plan Pro", "Everything in Pro"),
            ("Locales ilimitados", "Unlimited locations"),
            (
                "Equipos ilimitados en cada local",
                "Unlimited devices at each location",
            ),
            (
                "Ventas y menú de todos los locales en un panel",
                "Sales and menus of every location in one dashboard",
            ),
            (
                "Personal por local con roles: administrador, encargado, garzón",
                "Staff per location with roles: administrator, manager, waiter",
            ),
            (
                "Soporte prioritario por WhatsApp",
                "Priority support on WhatsApp",
            ),
        ],
        highlighted: false,
    },
];

/// Helpers the content templates share.
trait Texts {
    fn meta(&self) -> &Meta;

    /// Picks the Spanish or English half of a pair.
    fn t(&self, pair: &(&'static str, &'static str)) -> &'static str {
        if self.meta().en { pair.1 } else { pair.0 }
    }
}

macro_rules! page {
    ($name:ident, $path:literal) => {
        #[doc = concat!("The page at `", $path, "`.")]
        #[derive(Template)]
        #[template(path = $path)]
        pub struct $name {
            /// Layout facts.
            pub meta: Meta,
        }

        impl Texts for $name {
            fn meta(&self) -> &Meta {
                &self.meta
            }
        }

        impl $name {
            #[allow(dead_code)] // Not every page shows prices.
            fn price(&self, plan: &Plan) -> String {
                super::money(self.meta.en, plan.monthly)
            }

            #[allow(dead_code)] // Not every page lists plans.
            fn plans(&self) -> &'static [Plan] {
                PLANS
            }

            #[allow(dead_code)] // Not every page has bilingual pairs.
            fn tr(&self, pair: &(&'static str, &'static str)) -> &'static str {
                self.t(pair)
            }
        }
    };
}

page!(HomePage, "site/home.html");
page!(PlansPage, "site/planes.html");
page!(StoriesPage, "site/casos-exito.html");
page!(TermsPage, "site/terminos.html");
page!(PrivacyPage, "site/privacidad.html");
page!(NotFoundPage, "site/404.html");

/// `GET /`: what ChatBotDysa does, its parts, a pricing teaser and the calls to action.
pub async fn home(State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    let meta = Meta::new(
        &state,
        lang,
        "/",
        lang.pick(
            "ChatBotDysa — software para restaurantes que funciona sin internet",
            "ChatBotDysa — restaurant software that keeps working offline",
        ),
        lang.pick(
            "App de mesón que sigue vendiendo sin internet, asistente de IA local, widget de pedidos para tu web y panel para el dueño. Desde $12.990 al mes, IVA incluido.",
            "A counter app that keeps selling offline, a local AI assistant, an ordering widget for your website and an owner's dashboard. From CLP 12,990 a month, VAT included.",
        ),
    );
    html(StatusCode::OK, Caching::Public, &HomePage { meta })
}

/// `GET /planes`: the plans and their prices in CLP, IVA included.
pub async fn plans(State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    let meta = Meta::new(
        &state,
        lang,
        "/planes",
        lang.pick(
            "Planes y precios — ChatBotDysa",
            "Plans and prices — ChatBotDysa",
        ),
        lang.pick(
            "Básico $12.990, Pro $29.990 y Cadena $59.990 al mes, IVA incluido. Sin comisión por pedido y sin contrato de permanencia.",
            "Basic CLP 12,990, Pro CLP 29,990 and Chain CLP 59,990 a month, VAT included. No commission per order, no lock-in contract.",
        ),
    );
    html(StatusCode::OK, Caching::Public, &PlansPage { meta })
}

/// `GET /casos-exito`: how restaurants use it.
pub async fn stories(State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    let meta = Meta::new(
        &state,
        lang,
        "/casos-exito",
        lang.pick(
            "Casos de éxito — ChatBotDysa",
            "Success stories — ChatBotDysa",
        ),
        lang.pick(
            "Cómo una picada, una pizzería con reparto y una cadena de sushi usan ChatBotDysa en el día a día.",
            "How a neighbourhood eatery, a delivery pizzeria and a sushi chain use ChatBotDysa every day.",
        ),
    );
    html(StatusCode::OK, Caching::Public, &StoriesPage { meta })
}

/// `GET /terminos`: terms of service.
pub async fn terms(State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    let meta = Meta::new(
        &state,
        lang,
        "/terminos",
        lang.pick(
            "Términos del servicio — ChatBotDysa",
            "Terms of service — ChatBotDysa",
        ),
        lang.pick(
            "Las condiciones de uso de ChatBotDysa: suscripción, pagos, datos y término del servicio.",
            "The conditions of use of ChatBotDysa: subscription, payments, data and ending the service.",
        ),
    );
    html(StatusCode::OK, Caching::Public, &TermsPage { meta })
}

/// `GET /privacidad`: privacy policy.
pub async fn privacy(State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    let meta = Meta::new(
        &state,
        lang,
        "/privacidad",
        lang.pick(
            "Política de privacidad — ChatBotDysa",
            "Privacy policy — ChatBotDysa",
        ),
        lang.pick(
            "Qué datos guarda ChatBotDysa, dónde, por cuánto tiempo y cómo ejercer tus derechos según la Ley 19.628.",
            "What data ChatBotDysa keeps, where, for how long and how to exercise your rights under Chilean law.",
        ),
    );
    html(StatusCode::OK, Caching::Public, &PrivacyPage { meta })
}
