// Generated from the cloud's OpenAPI document by `npm run gen:api:cloud`. Do not edit.
export interface paths {
    "/api/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's dashboard accounts, owners first. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AccountView"][];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /** Creates a manager or viewer account. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateAccountRequest"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AccountView"];
                    };
                };
                /** @description Email in use */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/accounts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One account. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AccountView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Changes name, role, active state or locations. Deactivating closes the account's
         *     sessions at once; owners keep their role, stay active and see every location (409
         *     `owner_account`).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateAccountRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AccountView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description An owner's role or active state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/analytics/daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sales per business day and location (for the dashboard's charts). */
        get: {
            parameters: {
                query?: {
                    /** @description First business date (`YYYY-MM-DD`); default 13 days before `to` (two weeks). */
                    from?: string | null;
                    /** @description Last business date; default today (UTC). */
                    to?: string | null;
                    /** @description Only this location. */
                    location_id?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DailySales"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sales summary across the tenant's locations (or one of them). */
        get: {
            parameters: {
                query?: {
                    /** @description First business date (`YYYY-MM-DD`); default 30 days before `to`. */
                    from?: string | null;
                    /** @description Last business date; default today (UTC). */
                    to?: string | null;
                    /** @description Only this location. */
                    location_id?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Summary"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log of the tenant's locations, newest first (owners and managers). */
        get: {
            parameters: {
                query?: {
                    /** @description Only this location. */
                    location_id?: string;
                    /** @description From this day (`YYYY-MM-DD`, America/Santiago), inclusive. */
                    from?: string;
                    /** @description Until this day (`YYYY-MM-DD`, America/Santiago), inclusive. */
                    to?: string;
                    /** @description Only this staff member's actions. */
                    actor?: string;
                    /** @description Only this action (`order.line_voided`). */
                    action?: components["schemas"]["AuditAction"];
                    /** @description Only actions on this kind of subject. */
                    subject_type?: string;
                    /** @description Only actions on this subject. */
                    subject_id?: string;
                    /** @description Page size, 1–200 (default 50). */
                    limit?: number;
                    /** @description Rows to skip. */
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuditPage"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/email/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mails the signed-in account a new verification link. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ResendVerificationResponse"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/email/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirms an account's email with the link mailed at sign-up (valid 7 days). Following
         *     it again answers 204 as long as the email stays verified.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["VerifyEmailRequest"];
                };
            };
            responses: {
                /** @description Verified */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signs in with email and password (a tenant's account or a super_admin). The sixth
         *     attempt within 15 minutes, per account or per client, answers 429 with `Retry-After`
         *     (attempts are counted before the password is checked; each further lock of an account
         *     lasts twice as long).
         *     A suspended tenant's accounts get 403 `tenant_suspended`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LoginRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionResponse"];
                    };
                };
                /** @description Wrong credentials */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The tenant is suspended */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Locked for a while */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Hashing busy; see `Retry-After` */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Closes the current session (by access token, refresh token or cookies) and clears the
         *     cookies. Always answers 204.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Optional: a refresh token to close */
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["RefreshRequest"] | null;
                };
            };
            responses: {
                /** @description Signed out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in account (a tenant's or a super_admin) and its permissions. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MeResponse"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A device token, or a suspended tenant */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password/change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Changes the signed-in account's password. A wrong current password is 422 with a
         *     `current_password` field error and counts like a failed sign-in (the lockout
         *     applies); every other session of the account is closed, this one stays. A platform
         *     account (signed in on the dashboard) is 409 `platform_account`: its password is not
         *     the dashboard's to change.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ChangePasswordRequest"];
                };
            };
            responses: {
                /** @description Changed; other sessions closed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description A platform account: `platform_account` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mails a one-time link (30 minutes, single use) to set a new password, if the email
         *     belongs to an active account. Always answers 202 with the same body, whether or not
         *     the email has an account; rate-limited like every `/auth/*` route, and at most one
         *     link a minute per account. The mail is in the request's `Accept-Language`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ForgotPasswordRequest"];
                };
            };
            responses: {
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ForgotPasswordResponse"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sets a new password with a reset link's token. The link works once and for 30
         *     minutes; using it closes every session of the account. An unknown, used or expired
         *     token is 422 with a `token` field error.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ResetPasswordRequest"];
                };
            };
            responses: {
                /** @description Password changed; sign in with it */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchanges a refresh token (body or cookie) for a new pair. Each token works once;
         *     presenting a used one closes the whole session. A suspended tenant's sessions get 403
         *     `tenant_suspended` until it is reactivated.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Omit to use the refresh cookie */
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["RefreshRequest"] | null;
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionResponse"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The tenant is suspended */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/billing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's plan, its standing (trial, active, grace, read-only, …), the trial's
         *     end, the next charge, the last charges and what the plan allows.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BillingView"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/billing/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancels the subscription: no more charges; the dashboard works until the period
         *     already paid (or the trial) ends, then turns read-only. The counter keeps selling.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BillingView"];
                    };
                };
                /** @description `no_subscription` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `payment_provider_unavailable` */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/billing/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Moves to another plan: refused (`plan_limit_reached`) when it allows fewer locations
         *     or counters than are in use; the monthly charge changes from the next one.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PlanRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BillingView"];
                    };
                };
                /** @description `plan_limit_reached` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `no_subscription` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `payment_provider_unavailable` */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/billing/subscription": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Subscribes to a plan through Mercado Pago (14 days free the first time); answers the
         *     page where the owner authorises it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PlanRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Checkout"];
                    };
                };
                /** @description `already_subscribed` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `payment_provider_unavailable` */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `billing_not_configured` */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customer-data/erase-diner": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erases one diner on their request: their customer rows emptied and deleted, the name,
         *     phone and notes of their reservations, the notes of their orders (the orders stay for
         *     the books) and their WhatsApp conversation. Counters receive it with their next pull.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DinerErasure"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DinerErased"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customer-data/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The phrase that confirms erasing all the customer data (the restaurant's slug), for
         *     the dashboard to show beside the box it must be typed into.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErasurePhrase"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Erases all the restaurant's customer data, when `confirmation` is the restaurant's
         *     address name: its data key is destroyed (what it sealed opens nowhere, backups
         *     included), customers, reservations and conversations are deleted, order notes removed,
         *     and every counter reloads from a snapshot at its next pull.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ErasurePhrase"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TenantErased"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customer-data/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Everything the cloud holds about the restaurant's diners: customers, reservations,
         *     orders and conversations.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TenantExport"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customer-data/export/{kind}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One kind of the export as a CSV file (`customers`, `reservations`, `orders`,
         *     `conversations`).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description customers, reservations, orders or conversations */
                    kind: "customers" | "reservations" | "orders" | "conversations";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description an unknown kind */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customers by name. */
        get: {
            parameters: {
                query?: {
                    /** @description Part of a name, phone or email. */
                    q?: string | null;
                    /** @description At most this many (default 100, at most 500). */
                    limit?: number | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CustomerRow"][];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One customer. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CustomerRow"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/day-closes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One closed day and its Z report. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DayCloseView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's devices, newest first. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeviceView"][];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/enroll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enrols a device with a one-time code. A code works once and for 24 hours.
         *     Rate-limited per client.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["EnrollRequest"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EnrollResponse"];
                    };
                };
                /** @description `billing_read_only`: the tenant's plan is unpaid past its grace period (the code stays valid for after the payment) */
                402: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The code's tenant is suspended, or `plan_limit_reached` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Bad input, or a code unknown, used or expired */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One device. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeviceView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Renames a device. */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RenameRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeviceView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/devices/{id}/recovery-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Makes a recovery code for this counter (the owner's way back in for a sole admin who
         *     forgot the password): single use, ten minutes, only for this device; an earlier code
         *     of the device stops working. Audited.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CounterRecoveryCode"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revokes a device: its token is refused from the next request on. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeviceView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/demo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Asks for a demo. Rate-limited per client. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DemoRequest"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DemoAccepted"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's locations. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LocationView"][];
                    };
                };
            };
        };
        put?: never;
        /**
         * Adds a location (open) within the plan: 403 `plan_limit_reached` once the plan's
         *     open locations are all in use (Básico 1, Pro 3, Cadena no limit).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateLocationRequest"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LocationView"];
                    };
                };
                /** @description `plan_limit_reached`, or not the owner */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `slug_taken` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sales, orders, average ticket and best sellers of each location, side by side. */
        get: {
            parameters: {
                query?: {
                    /** @description First business date, `YYYY-MM-DD` (default: 30 days before `to`). */
                    from?: string | null;
                    /** @description Last business date, `YYYY-MM-DD` (default: today). */
                    to?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Comparison"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every location at a glance. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LocationStatus"][];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One location. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LocationView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Renames a location, or changes its address or path. */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UpdateLocationRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LocationView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `slug_taken` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/locations/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Closes a location: its data stays, the widget answers that it is closed and its
         *     counters learn it by sync. Closing a closed one changes nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LocationView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{id}/day-closes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A location's closed days, newest first. */
        get: {
            parameters: {
                query?: {
                    /** @description At most this many, newest first (default 60, at most 400). */
                    limit?: number | null;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DayCloseSummary"][];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{id}/enrollment-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Makes a new one-time enrolment code for a location (valid 24 hours). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EnrollmentCode"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `location_closed` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{id}/menu-copies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Copies another location's menu (categories, modifier groups, items and prices) here.
         *     The copies reach this location's counters by sync; a repeated copy adds nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The location that receives the menu */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CopyMenuRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CopyReport"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{id}/reopen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reopens a closed location, within the plan (403 `plan_limit_reached`). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LocationView"];
                    };
                };
                /** @description `plan_limit_reached` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/locations/{id}/whatsapp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The location's linked number, without its secrets. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WhatsAppStatus"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        /** Links (or relinks) the location's number; the secrets are never shown again. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WhatsAppLinkRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WhatsAppStatus"];
                    };
                };
                /** @description `plan_limit_reached`: the plan does not include WhatsApp */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Unlinks the location's number and deletes its secrets (Meta's webhook is refused
         *     from then on).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/media/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A menu photo of the tenant (`{hash}.jpg`) or its thumbnail (`{hash}-thumb.jpg`), for
         *     the dashboard's menu editor: read with the session cookie an `<img>` sends, cached by
         *     that browser only.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description `{hash}.jpg` or `{hash}-thumb.jpg` */
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The JPEG */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": number[];
                    };
                };
                /** @description The browser's copy is current */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The menu of every location (or one). */
        get: {
            parameters: {
                query?: {
                    /** @description Only this location. */
                    location_id?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Menu"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Adds a category, last in the location's menu; it reaches the counters by sync. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewCategory"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CategoryRow"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Adds an item to a location's menu. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewItem"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ItemRow"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu/items/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One item. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ItemRow"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Changes an item. */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ItemChanges"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ItemRow"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/menu/items/{id}/photo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Gives an item a photo from the owners' dashboard: the body is the image (JPEG, PNG or
         *     WebP, up to 8 MB), made into the same 800 px JPEG a counter makes (`dysa-photo`), kept
         *     by hash and named in the item's synced `photo`, which the counters pull (and then
         *     fetch the bytes).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description The photo */
            requestBody: {
                content: {
                    "image/jpeg": number[];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ItemRow"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Over 8 MB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Not declared as JPEG, PNG or WebP */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Not a readable image, or too many pixels */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        /** Takes an item's photo away (the counters pull the change). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ItemRow"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in owner's choices (email for both, in Spanish, until they choose). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["NoticePrefs"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        /**
         * Saves the signed-in owner's choices. A WhatsApp channel needs a number in E.164
         *     (`+` and 8 to 15 digits).
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NoticePrefs"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["NoticePrefs"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Orders, newest first. */
        get: {
            parameters: {
                query?: {
                    /** @description Only this location. */
                    location_id?: string | null;
                    /** @description Only this status. */
                    status?: string | null;
                    /** @description Business dates from (`YYYY-MM-DD`). */
                    from?: string | null;
                    /** @description Business dates to. */
                    to?: string | null;
                    /** @description Only this customer. */
                    customer_id?: string | null;
                    /** @description At most this many (default 100, at most 500). */
                    limit?: number | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrderRow"][];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One order. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrderDetail"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orders/{id}/cancel-request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Asks the restaurant to cancel an order. The order's status does not change here: the
         *     request is a synced field of the order that reaches the counter, where staff accept
         *     it (the order is cancelled with this reason) or refuse it; the answer comes back on
         *     the order (`cancel_request.outcome`). Asking again replaces an unanswered request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CancelRequestBody"];
                };
            };
            responses: {
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrderRow"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/mercado-pago": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether the tenant linked a Mercado Pago account, and the notification URL to set in
         *     Mercado Pago's "Tus integraciones". Never the credentials.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LinkStatus"];
                    };
                };
            };
        };
        /**
         * Links (or relinks) the account: the access token and the webhook's secret signature,
         *     sealed at rest and never shown again.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LinkRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LinkStatus"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `payments_not_configured`: the cloud has no credentials key */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Unlinks the account: the widget stops offering online payment at once. Orders already
         *     paid keep their refunds owed until it is linked again.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/platform/leads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Leads from the website (demo requests and contact messages), newest first. */
        get: {
            parameters: {
                query?: {
                    /** @description Only leads at this stage. */
                    stage?: components["schemas"]["LeadStage"] | null;
                    /** @description Rows per page: 1 to 200 (default 50). */
                    limit?: number | null;
                    /** @description Rows to skip (default 0); use the answer's `next_offset`. */
                    offset?: number | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LeadPage"];
                    };
                };
                /** @description Not a super_admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/platform/leads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Moves a lead along the pipeline: its stage, notes and follow-up date. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LeadUpdateRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Lead"];
                    };
                };
                /** @description Not a super_admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/platform/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every tenant, newest first, with its plan, status, numbers of locations and devices,
         *     and when a device of it was last seen.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Rows per page: 1 to 200 (default 50). */
                    limit?: number | null;
                    /** @description Rows to skip (default 0); use the answer's `next_offset`. */
                    offset?: number | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TenantPage"];
                    };
                };
                /** @description Not a super_admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/platform/tenants/{id}/reactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reactivates a suspended tenant: its sessions and devices work again at once.
         *     Idempotent.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PlatformTenant"];
                    };
                };
                /** @description Not a super_admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/platform/tenants/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspends a tenant with a reason: from the next request on, its cloud features pause
         *     (sign-ins, sessions, refreshes, device tokens and enrolment codes get 403
         *     `tenant_suspended`, with the reason in `error.details.reason`); its devices keep
         *     syncing, so the counter never stops selling. Nothing is deleted or revoked;
         *     reactivating gives it all back. Idempotent (a second call updates the reason).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SuspendRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PlatformTenant"];
                    };
                };
                /** @description Not a super_admin */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No reason */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/bookings/{tenant}/{id}/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The diner's booking page. */
        get: {
            parameters: {
                query?: {
                    /** @description `en` for English; Spanish otherwise. */
                    lang?: string | null;
                };
                header?: never;
                path: {
                    tenant: string;
                    id: string;
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * The diner cancels their booking: written like any cloud change of the booking, so the
         *     counter sees it cancelled. Pressing again shows it cancelled.
         */
        post: {
            parameters: {
                query?: {
                    /** @description `en` for English; Spanish otherwise. */
                    lang?: string | null;
                };
                header?: never;
                path: {
                    tenant: string;
                    id: string;
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The page, cancelled */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `booking_not_cancellable` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/opt-out/{tenant}/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The opt-out page: one button; opening it changes nothing. */
        get: {
            parameters: {
                query?: {
                    /** @description `en` for English; Spanish otherwise. */
                    lang?: string | null;
                };
                header?: never;
                path: {
                    tenant: string;
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * The diner opts out (the page's button, or a mail client's RFC 8058 one-click POST):
         *     recorded once; pressing again shows it done.
         */
        post: {
            parameters: {
                query?: {
                    /** @description `en` for English; Spanish otherwise. */
                    lang?: string | null;
                };
                header?: never;
                path: {
                    tenant: string;
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The page, done */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/whatsapp/{link_id}/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Meta's handshake: the challenge, as plain text, when the verify token is the link's
         *     (compared in constant time); 401 otherwise (unknown link included).
         */
        get: {
            parameters: {
                query?: {
                    /** @description `subscribe`. */
                    "hub.mode"?: string | null;
                    /** @description The verify token the owner entered in Meta's dashboard and in ours. */
                    "hub.verify_token"?: string | null;
                    /** @description What to echo back. */
                    "hub.challenge"?: string | null;
                };
                header?: never;
                path: {
                    /** @description The link, as the dashboard shows its URL */
                    link_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The challenge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description Wrong mode or token, or no such link */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Meta's notifications (messages and statuses). `X-Hub-Signature-256` must be the
         *     HMAC-SHA256 of the raw body under the link's app secret, else 401 and nothing is
         *     stored; a message already received (same id) is not answered again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The link, as the dashboard shows its URL */
                    link_id: string;
                };
                cookie?: never;
            };
            /** @description Meta's `whatsapp_business_account` notification */
            requestBody: {
                content: {
                    "application/json": string;
                };
            };
            responses: {
                /** @description Received */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Signed, but not a notification */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Missing or bad signature, or no such link */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The start times of a day for a party, each saying whether a table is free. */
        get: {
            parameters: {
                query: {
                    /** @description The day, `YYYY-MM-DD`, in the restaurant's time zone. */
                    date: string;
                    /** @description How many people. */
                    party_size: number;
                    /** @description One of the tenant's locations; absent: its first. */
                    location?: string | null;
                };
                header?: never;
                path: {
                    slug: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Availability"];
                    };
                };
                /** @description `restaurant_not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `online_bookings_off` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/chat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sends a diner's message to the restaurant's assistant and answers its reply. */
        post: {
            parameters: {
                query?: {
                    /** @description A location of the restaurant; its first location when absent. */
                    location?: string | null;
                };
                header?: never;
                path: {
                    /** @description The restaurant's slug */
                    slug: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ChatRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChatResponse"];
                    };
                };
                /** @description `widget_not_in_plan` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `restaurant_not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `chat_paused` (the restaurant's plan is unpaid: read-only) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Per-client limit, or `chat_budget_spent` (the location's hourly budget, with `Retry-After`) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/chat/{conversation_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Staff's replies in the diner's conversation after `after` (none when the
         *     conversation was never taken over, or is unknown).
         */
        get: {
            parameters: {
                query?: {
                    /** @description A location of the restaurant; its first location when absent. */
                    location?: string | null;
                    /** @description Only the messages after this one (the last id the widget showed). */
                    after?: string | null;
                };
                header?: never;
                path: {
                    /** @description The restaurant's slug */
                    slug: string;
                    /** @description The widget's conversation */
                    conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StaffMessages"];
                    };
                };
                /** @description `restaurant_not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/media/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A menu photo of the restaurant (`{hash}.jpg`) or its thumbnail (`{hash}-thumb.jpg`),
         *     as the widget's menu names them. Cached by browsers and proxies for a year (the name
         *     is the content's hash); 404 for a photo the restaurant does not hold, whoever else may.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    slug: string;
                    /** @description `{hash}.jpg` or `{hash}-thumb.jpg` */
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The JPEG */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": number[];
                    };
                };
                /** @description The client's copy is current */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `tenant_suspended` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/menu": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The menu of one restaurant: active categories with their items (sold-out ones marked
         *     `available: false`) and modifier groups. Served from memory while the tenant's sync
         *     version stays; `If-None-Match` with the `ETag` answers 304.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    slug: string;
                    /** @description One of the tenant's locations, by id or slug; absent: its first open one. */
                    location: string | null;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PublicMenu"];
                    };
                };
                /** @description Unchanged since the `If-None-Match` ETag */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `tenant_suspended`, `location_closed`, or `widget_not_in_plan` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `restaurant_not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Places an order. The cloud prices it from the synced menu and sends it to the counter
         *     (status `pending`, channel `widget`). `Idempotency-Key` is required: the same key with
         *     the same body answers the first answer again (no second order); with another body,
         *     409 `idempotency_conflict`. 409 too when online orders are off
         *     (`online_orders_off`), paused at the counter (`online_orders_paused`), or the
         *     restaurant is offline and its policy refuses (`restaurant_offline`); when its policy
         *     is to wait, the order is taken with `waiting_for_restaurant: true`. With `payment:
         *     online` (when the owner offers it and linked Mercado Pago) the answer carries
         *     `checkout_url`, the Checkout Pro page to send the diner to.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description A UUID, or 8–64 letters and digits */
                    "Idempotency-Key": string;
                };
                path: {
                    slug: string;
                    /** @description One of the tenant's locations, by id or slug; absent: its first open one. */
                    location: string | null;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["OrderRequest"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrderAccepted"];
                    };
                };
                /** @description `idempotency_key_required`, or not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `tenant_suspended`, `location_closed`, or `widget_not_in_plan` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `restaurant_not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `ordering_paused` (the restaurant's plan is unpaid), `idempotency_conflict`, `online_orders_off`, `online_orders_paused`, `restaurant_offline`, `online_payment_unavailable`, `online_payment_required` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Bad input; unknown or sold-out item (`lines[n].item_id`) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Per-client limit; `orders_budget_spent` (the location's hourly budget, with `Retry-After`); `too_many_pending_orders` (the phone number's pending orders) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `payment_provider_unavailable`: the order is taken, its checkout not; retry with the same key */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An order's status. A wrong token answers 404, as an unknown order does. */
        get: {
            parameters: {
                query?: never;
                header: {
                    /** @description The order's `status_token` */
                    "X-Status-Token": string;
                };
                path: {
                    slug: string;
                    id: string;
                    /** @description One of the tenant's locations, by id or slug; absent: its first open one. */
                    location: string | null;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OrderStatusView"];
                    };
                };
                /** @description `status_token_required` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/orders/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-Sent Events: `event: status` with the order's status at once and after each
         *     change (the counter accepting, rejecting, readying it). Ends after a final status
         *     (completed, cancelled) or after the live stream's maximum time (reconnect then).
         */
        get: {
            parameters: {
                query?: never;
                header: {
                    /** @description The order's `status_token` */
                    "X-Status-Token": string;
                };
                path: {
                    slug: string;
                    id: string;
                    /** @description One of the tenant's locations, by id or slug; absent: its first open one. */
                    location: string | null;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description `event: status` / `data: {…}` events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": components["schemas"]["OrderStatusView"];
                    };
                };
                /** @description `status_token_required` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Books a table. `Idempotency-Key` is required: the same key with the same body answers
         *     the first answer again; with another body, 409 `idempotency_conflict`.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description A UUID, or 8–64 letters and digits */
                    "Idempotency-Key": string;
                };
                path: {
                    slug: string;
                    /** @description One of the tenant's locations, by id or slug; absent: its first open one. */
                    location: string | null;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ReservationRequest"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReservationAccepted"];
                    };
                };
                /** @description `idempotency_key_required` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `tenant_suspended`, `location_closed`, `widget_not_in_plan` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `restaurant_not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `idempotency_conflict`, `online_bookings_off`, `ordering_paused` (billing read-only) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Per-client limit, or `bookings_budget_spent` (the location's hourly budget, with `Retry-After`) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/{slug}/widget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How the widget looks and what it offers, for one restaurant. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    slug: string;
                    /** @description One of the tenant's locations, by id or slug; absent: its first open one. */
                    location: string | null;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WidgetConfig"];
                    };
                };
                /** @description `tenant_suspended`, `location_closed`, or `widget_not_in_plan` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `restaurant_not_found` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reservations in time order. */
        get: {
            parameters: {
                query?: {
                    /** @description Only this location. */
                    location_id?: string | null;
                    /** @description Starting at or after (RFC 3339). */
                    from?: string | null;
                    /** @description Starting before (RFC 3339). */
                    to?: string | null;
                    /** @description At most this many (default 200, at most 1000). */
                    limit?: number | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReservationRow"][];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Books a table from the dashboard, under the same rule as the widget: while the
         *     restaurant is online it decides (`pending`); while it is offline the cloud confirms
         *     within the location's online quota per slot (`bookings.online_quota_per_slot`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["OwnerBooking"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BookingOutcome"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One reservation. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ReservationRow"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Signs a restaurant business up: tenant, first location, owner account and an
         *     enrolment code, in one transaction. Rate-limited per client.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SignupRequest"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SignupResponse"];
                    };
                };
                /** @description Slug or email taken */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sms/twilio": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether the tenant linked Twilio, its sender, and the incoming-message URL to set on
         *     the number in Twilio's console. Never the token.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TwilioLinkStatus"];
                    };
                };
            };
        };
        /** Links (or relinks) Twilio: the token sealed at rest and never shown again. */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["TwilioLinkRequest"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TwilioLinkStatus"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `sms_not_configured`: the cloud has no credentials key */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        /** Unlinks Twilio: its token is deleted; SMS still queued fail instead of leaving. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/backup-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Keeps the recovery copy of the calling counter's backup key, sealed with the tenant's
         *     data key (docs/SECURITY.md, "Backups in the cloud").
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["BackupKey"];
                };
            };
            responses: {
                /** @description Kept */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/backup-key/{device_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The backup key of counter `device_id` of the caller's location (the one that took the
         *     backup being recovered), only to a counter enrolled within the last hour (403 after:
         *     the owner's fresh code authorises a take-over, an older token does not); 404 for
         *     another location's counter or none held.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    device_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BackupKey"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Enrolled more than an hour ago */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Starts the upload of a backup of the device's location (again, after an interrupted
         *     one: its parts are replaced as they come).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewBackup"];
                };
            };
            responses: {
                /** @description Send its parts */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The id is another backup's */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/backups/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The newest complete backup of the device's location (a replacement counter recovers
         *     from it); 404 when the cloud holds none.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BackupObject"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/backups/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ends an upload: the parts must run from 0 without a gap and add up to the stated size
         *     and sha256 (else 422 and the backup stays open). Then the location's backups older
         *     than 30 days go, the newest always kept.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CompleteBackup"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BackupObject"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/backups/{id}/parts/{n}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Part `n` of a complete backup of the device's location. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    n: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The bytes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/octet-stream": number[];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        /** One part of a backup being uploaded (at most 8 MiB; a resend replaces it). */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description From 0 */
                    n: number;
                };
                cookie?: never;
            };
            /** @description The bytes */
            requestBody: {
                content: {
                    "application/octet-stream": number[];
                };
            };
            responses: {
                /** @description Kept */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No open backup of this device */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/chat-messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Staff's messages in relayed conversations of the device's location, kept once per
         *     id (a resend after a lost answer is taken and ignored) for the diners to read.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["StaffChatMessages"];
                };
            };
            responses: {
                /** @description Taken (each message once) */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/chat-replies/{request_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The appliance's answer to a widget diner's message relayed on the live channel
         *     (`event: chat`). Taken once, only from a device of the relay's location, and only while
         *     the cloud still waits (otherwise 404: the cloud has answered the diner itself).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The relay's `request_id` */
                    request_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ChatReply"];
                };
            };
            responses: {
                /** @description Answer taken */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description No open chat request by that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/join-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The location's join requests waiting for an answer (not the caller's own), for an admin
         *     at one of its counters to approve or refuse.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JoinRequest"][];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * A new counter asks to join its location: its public key is relayed to the location's
         *     other counters. Replaces the caller's earlier pending request.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewJoinRequest"];
                };
            };
            responses: {
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JoinRequest"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/join-requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One request of the caller's location; the joining counter polls its own here and finds
         *     the sealed key once approved (only it ever receives the sealed key).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The request's id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JoinRequest"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/join-requests/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approves a request: the body is the location key sealed to the request's public key by
         *     the approving counter. The cloud checks its shape only; it cannot open it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The request's id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["JoinApproval"];
                };
            };
            responses: {
                /** @description Approved: the joining counter can fetch the sealed key */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Already answered or expired */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/join-requests/{id}/refuse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refuses a request. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The request's id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Refused */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Already answered or expired */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-Sent Events: `event: version` with `{"version": N}` at connect and whenever the
         *     tenant's version moves; `event: chat` with a widget diner's message for this device's
         *     location (`{request_id, conversation_id, message, language}`, answered through
         *     `POST /sync/chat-replies/{request_id}`); comment keep-alives every 15 s. The stream ends after
         *     `live_stream_max_secs` (the device reconnects, which checks its token again).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description `event: version` / `data: {"version": N}` events, and `event: chat` with a `ChatRelay` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": components["schemas"]["LiveNotice"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `too_many_streams`: the device already holds `device_max_streams` live streams */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/location-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The fingerprint of the location's key, once a counter claimed one: a counter without
         *     the key reads it to know whether it must join instead of making a key of its own.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LocationKeyState"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Claims the location key by its fingerprint. The first claim of a location wins; the
         *     same fingerprint again is 200; another one is 409 `location_key_exists` (that counter
         *     made a rival key and must join the location instead).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LocationKeyClaim"];
                };
            };
            responses: {
                /** @description This is the location's key */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LocationKeyState"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description The location has another key */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/media/{hash}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A menu photo's bytes for a counter whose pulled item names a photo it lacks; 404 when
         *     the tenant does not hold it (another tenant's photo included).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The JPEG's sha256, lowercase hex */
                    hash: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The JPEG */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": number[];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        /**
         * A menu photo's bytes from a counter, under their sha256 (docs/SYNC.md, "Photos"): sent
         *     before the push whose item names them. Checked (the hash, a JPEG of at most 800 px)
         *     and kept once per tenant, so a resend answers 204 again without writing.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The JPEG's sha256, lowercase hex */
                    hash: string;
                };
                cookie?: never;
            };
            /** @description The JPEG */
            requestBody: {
                content: {
                    "image/jpeg": number[];
                };
            };
            responses: {
                /** @description Held */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Not a photo name */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Not its hash, or not a JPEG we make */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/pull": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The changes after `cursor` the device sees (its location's rows and tenant-wide rows,
         *     tombstones included), oldest first. Pull until `has_more` is false; store `cursor`.
         *     A cursor below the tenant's purge horizon answers 410 `snapshot_required` with
         *     `details.purged_through`: reload from `/sync/snapshot`, then pull from there.
         */
        get: {
            parameters: {
                query: {
                    /** @description The version the device holds (the `cursor` of its last page); 0 or absent for all. */
                    cursor?: number | null;
                    /** @description At most this many changes (default 500, at most 1000). */
                    limit?: number | null;
                    /** @description The sync protocol version the device speaks. */
                    schema_version: number;
                    /**
                     * @description The counter's fiscal documents not yet issued (its heartbeat, with every pull;
                     *     counters that do not send it are never alerted for a stuck queue).
                     */
                    fiscal_pending?: number | null;
                    /** @description Since when the oldest of them waits (RFC 3339). */
                    fiscal_oldest_at?: string | null;
                    /** @description The counter's print jobs not yet printed. */
                    print_pending?: number | null;
                    /** @description Since when the oldest of them waits (RFC 3339). */
                    print_oldest_at?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PullResponse"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `snapshot_required` */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `schema_version_unsupported` */
                426: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/push": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Merges a batch of the device's changes (oldest first) and answers each one. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PushRequest"];
                };
            };
            responses: {
                /** @description One result per mutation, in order; rejections are results */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PushResponse"];
                    };
                };
                /** @description Not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Unknown device token, or `device_revoked` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `tenant_suspended` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Malformed batch, or more than 500 mutations */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `schema_version_unsupported` */
                426: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `too_many_pushes`: the device already has `device_max_pushes` pushes in flight */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/recovery/redeem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Uses up an owner's recovery code issued for this very device: 204 only when it is
         *     this device's, unused and unexpired; anything else 401 `recovery_code_invalid`.
         *     Wrong codes count towards the device's lockout (429 with `Retry-After`); every
         *     attempt is in the owners' audit log.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RedeemRecoveryCode"];
                };
            };
            responses: {
                /** @description Redeemed: the counter may set the new password */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `recovery_code_invalid`, or the device token refused */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Locked; see `Retry-After` */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sync/snapshot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A new device's first load: the same pages as a pull, without tombstones. On the last
         *     page `cursor` is the tenant's version, from which the device then pulls.
         */
        get: {
            parameters: {
                query: {
                    /** @description The version the device holds (the `cursor` of its last page); 0 or absent for all. */
                    cursor?: number | null;
                    /** @description At most this many changes (default 500, at most 1000). */
                    limit?: number | null;
                    /** @description The sync protocol version the device speaks. */
                    schema_version: number;
                    /**
                     * @description The counter's fiscal documents not yet issued (its heartbeat, with every pull;
                     *     counters that do not send it are never alerted for a stuck queue).
                     */
                    fiscal_pending?: number | null;
                    /** @description Since when the oldest of them waits (RFC 3339). */
                    fiscal_oldest_at?: string | null;
                    /** @description The counter's print jobs not yet printed. */
                    print_pending?: number | null;
                    /** @description Since when the oldest of them waits (RFC 3339). */
                    print_oldest_at?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PullResponse"];
                    };
                };
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `schema_version_unsupported` */
                426: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's tenant. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TenantView"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Staff of the tenant's locations. */
        get: {
            parameters: {
                query?: {
                    /** @description Only this location. */
                    location_id?: string | null;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StaffRow"][];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One staff account. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["StaffRow"];
                    };
                };
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/mercado-pago-billing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receives a subscription notification (`?data.id=…&type=subscription_preapproval` or
         *     `subscription_authorized_payment`). The `x-signature` (HMAC-SHA256 of
         *     `id:{data.id};request-id:{x-request-id};ts:{ts};` with the platform's webhook secret)
         *     must verify, else 401 and nothing changes. The subscription or charge is then read from
         *     Mercado Pago's API; a charge is recorded once however often it is notified.
         */
        post: {
            parameters: {
                query?: {
                    "data.id"?: string;
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Mercado Pago's notification (its fields are read from the query string and the API) */
            requestBody: {
                content: {
                    "application/json": string;
                };
            };
            responses: {
                /** @description Received (recorded, or nothing to record) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `bad_signature` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `payment_provider_unavailable`: Mercado Pago retries */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/mercado-pago/{tenant}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receives a Mercado Pago notification (`?data.id=…&type=payment`). The `x-signature`
         *     (HMAC-SHA256 of `id:{data.id};request-id:{x-request-id};ts:{ts};` with the tenant's
         *     webhook secret) must verify, else 401 and nothing changes. The payment is then read
         *     from Mercado Pago's API; an approved payment of exactly an order's total records one
         *     ledger row (`mercado_pago`), however often the notification is delivered.
         */
        post: {
            parameters: {
                query?: {
                    "data.id"?: string;
                    type?: string;
                };
                header?: never;
                path: {
                    tenant: string;
                };
                cookie?: never;
            };
            /** @description Mercado Pago's notification (its fields are read from the query string and the API) */
            requestBody: {
                content: {
                    "application/json": string;
                };
            };
            responses: {
                /** @description Received (recorded, or nothing to record) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `bad_signature` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `payment_provider_unavailable`: Mercado Pago retries */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/sendgrid/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receives SendGrid's events (a JSON array). The signature
         *     (`X-Twilio-Email-Event-Webhook-Signature` over `X-Twilio-Email-Event-Webhook-Timestamp`
         *     and the raw body) must verify with the configured key, else 401 and nothing is stored;
         *     a redelivered event is recorded once.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description SendGrid's JSON array of events */
            requestBody: {
                content: {
                    "application/json": string;
                };
            };
            responses: {
                /** @description Recorded */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Signed, but not a JSON array of events */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Missing or bad signature */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/twilio/{tenant}/inbound": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A message a diner sent to the restaurant's Twilio number (`From`, `Body`,
         *     `AccountSid`…). STOP, BAJA, PARAR (and Twilio's other opt-out words) opt the number
         *     out of every message; START or ALTA opt it in again. Answered with TwiML: a
         *     confirmation for the Spanish words (Twilio confirms its own English ones).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenant: string;
                };
                cookie?: never;
            };
            /** @description Twilio's incoming message parameters */
            requestBody: {
                content: {
                    "application/x-www-form-urlencoded": string;
                };
            };
            responses: {
                /** @description TwiML */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/xml": string;
                    };
                };
                /** @description `malformed_webhook` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `bad_signature` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/twilio/{tenant}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A status callback of an SMS the cloud sent (`MessageSid`, `MessageStatus`,
         *     `ErrorCode`, `AccountSid`…, form-encoded). Recorded once per (message, status); the
         *     message's status only moves forward (a late `sent` after `delivered` is kept in the
         *     log, not applied).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tenant: string;
                };
                cookie?: never;
            };
            /** @description Twilio's status callback parameters */
            requestBody: {
                content: {
                    "application/x-www-form-urlencoded": string;
                };
            };
            responses: {
                /** @description Recorded (or already recorded) */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description `malformed_webhook` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `bad_signature` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/widget-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's widget settings (the defaults until an owner saves some). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WidgetSettings"];
                    };
                };
            };
        };
        /**
         * Replaces the tenant's widget settings. Colours `#RRGGBB`, logo `https://` only,
         *     greetings up to 200 characters, allowed origins exact (`https://host[:port]`, no
         *     path), booking quota ≥ 0. Every instance applies them within seconds.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WidgetSettings"];
                };
            };
            responses: {
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WidgetSettings"];
                    };
                };
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reports whether the service and its database are up. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The service can serve */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
                /** @description The database is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description The role of a dashboard account.
         * @enum {string}
         */
        AccountRole: "owner" | "manager" | "viewer" | "super_admin";
        /** @description A dashboard account as clients see it (no secrets). */
        AccountView: {
            /** @description False once deactivated (a deactivated account cannot sign in). */
            active: boolean;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /** @description Login email. */
            email: string;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /** @description The locations it is limited to; empty: every location. */
            location_ids: string[];
            /** @description Display name. */
            name: string;
            /** @description Role. */
            role: components["schemas"]["AccountRole"];
            /**
             * Format: uuid
             * @description The tenant (none for a super_admin).
             */
            tenant_id?: string | null;
        };
        /** @description How the widget looks. */
        Appearance: {
            /**
             * @description `#RRGGBB`.
             * @default #F2B705
             */
            accent_color: string;
            /**
             * @description The first message shown, per language.
             * @default {
             *       "en": "Hi! What would you like today? Order here or book your table.",
             *       "es": "¡Hola! ¿Qué se te antoja hoy? Pide aquí o reserva tu mesa."
             *     }
             */
            greeting: components["schemas"]["Greeting"];
            /**
             * @description The widget's language (`auto`: the browser's).
             * @default auto
             */
            language: components["schemas"]["WidgetLanguage"];
            /**
             * @description An `https://` image, or none.
             * @default null
             */
            logo_url: string | null;
            /**
             * @description Which corner the button sits in.
             * @default right
             */
            position: components["schemas"]["WidgetPosition"];
            /**
             * @description `#RRGGBB`.
             * @default #B3261E
             */
            primary_color: string;
        };
        /**
         * @description A recorded kind of sensitive action. The wire form (`order.line_voided`) is what the
         *     row stores and the filters take.
         * @enum {string}
         */
        AuditAction: "auth.sign_in" | "auth.sign_in_failed" | "user.created" | "user.updated" | "menu.item_created" | "menu.item_updated" | "menu.item_deleted" | "order.line_voided" | "order.cancelled" | "order.discount" | "payment.refunded" | "settings.updated" | "cloud.linked" | "cloud.unlinked" | "join.approved" | "data.exported" | "backup.restored" | "auth.recovery_code_issued" | "auth.recovered";
        /** @description One event with its readable line in both languages. */
        AuditEntry: {
            /** @description The recorded event. */
            event: components["schemas"]["AuditRow"];
            /** @description The line in English. */
            text_en: string;
            /** @description The line in Spanish. */
            text_es: string;
        };
        /** @description A page of the audit log. */
        AuditPage: {
            /** @description The events, newest first. */
            items: components["schemas"]["AuditEntry"][];
            /**
             * Format: int64
             * @description Page size used.
             */
            limit: number;
            /**
             * Format: int64
             * @description Rows skipped.
             */
            offset: number;
            /**
             * Format: int64
             * @description How many match the filters.
             */
            total: number;
        };
        /** @description One recorded action at one of the tenant's locations. */
        AuditRow: {
            /** @description The action (`order.line_voided`). */
            action: string;
            /**
             * Format: uuid
             * @description Who (a staff account of the location), if anyone.
             */
            actor_id?: string | null;
            /** @description Their name at the time. */
            actor_name?: string | null;
            /** @description The subject after, with the details a reader needs. */
            after?: Record<string, never> | null;
            /**
             * Format: date-time
             * @description When.
             */
            at: string;
            /** @description The subject before. */
            before?: Record<string, never> | null;
            /** @description The client address at the counter. */
            client?: string | null;
            /** @description The counter that recorded it. */
            device_id: string;
            /**
             * Format: uuid
             * @description The event's id.
             */
            id: string;
            /**
             * Format: uuid
             * @description The location it happened at.
             */
            location_id: string;
            /** @description The subject's id. */
            subject_id?: string | null;
            /** @description The kind of subject. */
            subject_type: string;
        };
        /** @description The start times of a day. */
        Availability: {
            /**
             * Format: date
             * @description The day.
             */
            date: string;
            /**
             * Format: int32
             * @description The party.
             */
            party_size: number;
            /** @description Its start times, each free or not. */
            slots: components["schemas"]["Slot"][];
        };
        /** @description A counter's backup key, base64 (the recovery copy; see SECURITY.md). */
        BackupKey: {
            /** @description The key's bytes, base64. */
            key: string;
        };
        /** @description A backup the cloud holds (or is receiving). */
        BackupObject: {
            /**
             * Format: uuid
             * @description The counter that took it.
             */
            device_id: string;
            /**
             * Format: uuid
             * @description Its id (the counter's).
             */
            id: string;
            /**
             * Format: int32
             * @description How many parts it has.
             */
            parts: number;
            /** @description sha256 of the whole file, lowercase hex. */
            sha256?: string | null;
            /**
             * Format: int64
             * @description Its size in bytes (the encrypted file's).
             */
            size_bytes: number;
            /**
             * Format: date-time
             * @description When the counter took it.
             */
            taken_at: string;
        };
        /** @description The tenant's plan and billing, for the dashboard's Plan page and its banners. */
        BillingView: {
            /**
             * @description False while nothing was ever sent to Mercado Pago (the sign-up's trial, or a
             *     tenant from before billing): the owner subscribes to keep the plan after the trial.
             */
            checkout_started: boolean;
            /** @description The authorisation page, while the checkout is pending. */
            checkout_url?: string | null;
            /**
             * Format: date-time
             * @description When the grace period ends, while a charge is owed.
             */
            grace_ends_at?: string | null;
            /** @description The last charges, newest first. */
            invoices: components["schemas"]["Invoice"][];
            /** @description What the plan allows. */
            limits: components["schemas"]["PlanLimits"];
            /**
             * Format: int64
             * @description Its monthly price, CLP.
             */
            monthly: number;
            /**
             * Format: date-time
             * @description The next charge.
             */
            next_payment_at?: string | null;
            /** @description `basic`, `pro` or `enterprise`. */
            plan: string;
            /** @description True when owners' edits are refused and widget ordering is paused. */
            read_only: boolean;
            /** @description Where the tenant stands. */
            standing: components["schemas"]["Standing"];
            /**
             * Format: date-time
             * @description The trial's end, while in it.
             */
            trial_ends_at?: string | null;
        };
        /** @description What became of a booking. */
        BookingOutcome: {
            /**
             * Format: uuid
             * @description The reservation's id.
             */
            id: string;
            /**
             * Format: int32
             * @description The party.
             */
            party_size: number;
            /**
             * Format: date-time
             * @description Its start.
             */
            starts_at: string;
            /** @description Confirmed or pending (or cancelled, when a retried booking was declined since). */
            status: components["schemas"]["BookingStatus"];
            /** @description The table's name when confirmed. */
            table?: string | null;
            /**
             * Format: uuid
             * @description The table's id when confirmed.
             */
            table_id?: string | null;
        };
        /** @description Online bookings. */
        BookingSettings: {
            /**
             * @description Whether the widget takes bookings.
             * @default true
             */
            enabled: boolean;
            /**
             * Format: int32
             * @description The largest party the widget offers (bigger ones call).
             * @default 8
             */
            max_party_size: number;
            /**
             * Format: int32
             * @description Bookings the widget may take per time slot (0: none online).
             * @default 4
             */
            online_quota_per_slot: number;
        };
        /**
         * @description Whether the booking holds a table already.
         * @enum {string}
         */
        BookingStatus: "confirmed" | "pending" | "cancelled";
        /**
         * @description Per-location budgets of the widget: what one location takes per hour whoever asks,
         *     so no diner (nor script) can flood the counter with orders or fill every slot's
         *     online quota with bookings while the restaurant is offline. Spent, the widget
         *     answers 429 with `Retry-After` (docs/SECURITY.md).
         */
        BudgetSettings: {
            /**
             * Format: int32
             * @description Widget bookings per hour, per location.
             * @default 20
             */
            bookings_per_hour: number;
            /**
             * Format: int32
             * @description Diners' chat messages per hour, per location.
             * @default 300
             */
            chat_turns_per_hour: number;
            /**
             * Format: int32
             * @description Widget orders per hour, per location.
             * @default 60
             */
            orders_per_hour: number;
            /**
             * Format: int32
             * @description Orders a phone number may have waiting for the restaurant (not yet accepted).
             * @default 3
             */
            pending_orders_per_phone: number;
        };
        /**
         * @description How a cancel request ended.
         * @enum {string}
         */
        CancelOutcome: "accepted" | "refused";
        /**
         * @description An owner's request, made on the cloud, to cancel an order the location runs. It is a
         *     request, not a command: it never moves the order's status by itself; staff at the
         *     counter accept it (the normal cancel transition) or refuse it, and the outcome syncs
         *     back. It travels as the order field [`CANCEL_REQUEST_FIELD`], written whole each time
         *     (a new request, or its resolution), so last-writer-wins keeps one consistent value.
         */
        CancelRequest: {
            /** @description Names this request, so a resolution answers the request it saw and no newer one. */
            id: string;
            /** @description Why it ended so, when the rules decided (e.g. [`ALREADY_DELIVERED`]). */
            note?: string | null;
            outcome?: components["schemas"]["CancelOutcome"] | null;
            /** @description Why the owner wants it cancelled (becomes the cancel reason when accepted). */
            reason: string;
            /** @description When they asked (RFC 3339). */
            requested_at: string;
            /** @description Who asked (the owner's name or email). */
            requested_by: string;
            /** @description When it was answered (RFC 3339). */
            resolved_at?: string | null;
            /** @description Who answered (staff name), or `None` when the rules answered on their own. */
            resolved_by?: string | null;
        };
        /** @description An owner's request to cancel an order. */
        CancelRequestBody: {
            /** @description Why (shown to staff at the counter; becomes the cancel reason when accepted). */
            reason: string;
        };
        /** @description A menu category. */
        CategoryRow: {
            /** @description Shown. */
            active: boolean;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: uuid
             * @description Location.
             */
            location_id: string;
            /** @description Name. */
            name: string;
            /** @description English name. */
            name_en?: string | null;
            /**
             * Format: int32
             * @description Order in the menu.
             */
            position: number;
        };
        /** @description The current and the new password. */
        ChangePasswordRequest: {
            /** @description The password in use now. */
            current_password: string;
            /** @description The new one (10+ characters, not a common one). */
            new_password: string;
        };
        /** @description The newest state of one row, with the tenant version at which it last changed. */
        ChangeRecord: {
            /** @description True when the row is a tombstone. */
            deleted: boolean;
            /** @description What kind of row. */
            entity: components["schemas"]["Entity"];
            /** @description The row's id. */
            entity_id: string;
            /** @description The newest HLC among the row's fields (devices feed it to their clock). */
            hlc: string;
            /** @description The location the row belongs to; `None` for tenant-wide rows (customers). */
            location_id?: string | null;
            /** @description Every synced field of the row, merged. */
            row: Record<string, never>;
            /**
             * Format: int64
             * @description The per-tenant version of this change; pulls go by it.
             */
            version: number;
        };
        /**
         * @description Where an order was taken, for reports and for how the restaurant must answer it.
         * @enum {string}
         */
        Channel: "counter" | "dine_in" | "takeaway" | "delivery" | "widget" | "chat" | "phone" | "whatsapp";
        /** @description Orders and sales of one channel. */
        ChannelLine: {
            /** @description The channel. */
            channel: components["schemas"]["Channel"];
            /**
             * Format: int64
             * @description Orders not cancelled.
             */
            orders: number;
            /** @description What they sold. */
            sales: components["schemas"]["Clp"];
        };
        /**
         * @description Who answered.
         * @enum {string}
         */
        ChatAnsweredBy: "restaurant" | "cloud" | "staff";
        /**
         * @description A table booking a WhatsApp diner confirmed with the restaurant's assistant (which
         *     checked the tables on the counter's view first). The cloud books it like a widget
         *     booking (`bookings::book`): pending until the counter seats it, and the diner hears
         *     the answer by WhatsApp.
         */
        ChatBooking: {
            /** @description The day, in the restaurant's time zone (`YYYY-MM-DD`). */
            date: string;
            /** @description The name the booking is under. */
            name: string;
            /**
             * Format: int32
             * @description How many people.
             */
            party_size: number;
            /** @description The contact phone the diner gave. */
            phone: string;
            /** @description The start, wall-clock in the restaurant's time zone (`HH:MM`). */
            time: string;
        };
        /** @description A chat's draft order as the widget submits it (`POST orders`). */
        ChatDraft: {
            /** @description The lines. */
            lines: components["schemas"]["ChatDraftLine"][];
            /** @description What the order will cost, IVA included. */
            total: components["schemas"]["Clp"];
        };
        /** @description A line of a chat's draft order, priced from the menu. */
        ChatDraftLine: {
            /** @description The menu item. */
            item_id: components["schemas"]["ItemId"];
            /** @description `unit_price × quantity`. */
            line_total: components["schemas"]["Clp"];
            /** @description Its name. */
            name: string;
            /** @description The chosen options, as the order route takes them. */
            options: components["schemas"]["ModifierOptionId"][];
            /**
             * Format: int32
             * @description How many.
             */
            quantity: number;
            /** @description Unit price with the chosen options, IVA included. */
            unit_price: components["schemas"]["Clp"];
        };
        /** @description The restaurant's answer to a relayed message. */
        ChatReply: {
            booking?: components["schemas"]["ChatBooking"] | null;
            draft?: components["schemas"]["ChatDraft"] | null;
            /**
             * @description Staff has taken this conversation over: the assistant stays quiet, `reply` is
             *     empty, and the cloud must not answer with its own parser either (staff's replies
             *     reach the diner through `POST /api/v1/sync/chat-messages`).
             */
            held_by_staff?: boolean;
            /** @description The diner confirmed the draft: the widget may submit it. */
            ready_to_order?: boolean;
            /** @description What the assistant says, plain text. */
            reply: string;
        };
        /** @description A diner's message. */
        ChatRequest: {
            /**
             * Format: uuid
             * @description The conversation, as a previous answer named it; absent for a new one.
             */
            conversation_id?: string | null;
            language?: components["schemas"]["Lang"] | null;
            /** @description What the diner wrote: 1 to 1000 characters. */
            message: string;
        };
        /** @description The answer. */
        ChatResponse: {
            /** @description Who answered. */
            answered_by: components["schemas"]["ChatAnsweredBy"];
            /**
             * Format: uuid
             * @description The conversation to send with the next message (new when the old one expired).
             */
            conversation_id: string;
            draft?: components["schemas"]["ChatDraft"] | null;
            /**
             * @description The diner confirmed the draft: the widget submits its lines through
             *     `POST orders` (the chat never creates orders itself).
             */
            ready_to_order: boolean;
            /** @description The reply, plain text. */
            reply: string;
        };
        /** @description One dependency's state. */
        Check: {
            /**
             * @description Why it is down, in one generic word (`unreachable`, `timed out`); the cause is
             *     in the log.
             */
            detail?: string | null;
            /** @description `up` or `down`. */
            status: string;
        };
        /** @description Where to send the owner to authorise the subscription. */
        Checkout: {
            /** @description Mercado Pago's authorisation page. */
            checkout_url: string;
        };
        /** @description The dependency checks. */
        Checks: {
            /** @description Postgres, as the service role. */
            database: components["schemas"]["Check"];
        };
        /**
         * @description A time of day on the wall clock, written `HH:MM` (24-hour, as es-CL reads it).
         * @example 19:30
         */
        ClockTime: string;
        /**
         * Format: int64
         * @description An amount of Chilean pesos (negative for refunds and discounts).
         *
         *     On the wire it is a bare integer. Amounts are limited to ±`Clp::MAX`, the largest integer
         *     a JavaScript number holds exactly, so the TypeScript panel never shows a rounded amount.
         */
        Clp: number;
        /** @description The locations side by side for a date range. */
        Comparison: {
            /**
             * Format: date
             * @description First business date.
             */
            from: string;
            /** @description One entry per location the caller sees, by name. */
            locations: components["schemas"]["LocationFigures"][];
            /**
             * Format: date
             * @description Last business date.
             */
            to: string;
        };
        /** @description What the counter says it uploaded. */
        CompleteBackup: {
            /**
             * Format: int32
             * @description How many parts.
             */
            parts: number;
            /** @description The file's sha256, lowercase hex. */
            sha256: string;
            /**
             * Format: int64
             * @description The file's size in bytes.
             */
            size_bytes: number;
        };
        /** @description One message of a conversation, for the tenant's export. */
        ConversationMessage: {
            /**
             * Format: date-time
             * @description When.
             */
            at: string;
            /** @description `diner`, `staff` or `restaurant` (a WhatsApp reply). */
            author: string;
            /** @description `widget` or `whatsapp`. */
            channel: string;
            /** @description The conversation (the widget's conversation id, or the diner's WhatsApp number). */
            conversation: string;
            /**
             * Format: uuid
             * @description The location it reached.
             */
            location_id: string;
            /** @description What was written. */
            text: string;
        };
        /** @description Where to copy a menu from. */
        CopyMenuRequest: {
            /**
             * Format: uuid
             * @description The location whose menu is copied.
             */
            from: string;
        };
        /** @description What a menu copy did. */
        CopyReport: {
            /**
             * Format: int32
             * @description Rows already copied by an earlier copy, left as they are (a retry, or the target
             *     edited them since).
             */
            already_copied: number;
            /**
             * Format: int32
             * @description Categories created at the target.
             */
            categories: number;
            /**
             * Format: int32
             * @description Items created at the target.
             */
            items: number;
            /**
             * Format: int32
             * @description Modifier groups created at the target.
             */
            modifier_groups: number;
        };
        /** @description A recovery code for a counter's admin, shown once. */
        CounterRecoveryCode: {
            /**
             * @description The code, `XXXX-XXXX-XXXX`: typed on the counter's "¿Olvidaste tu contraseña?"
             *     with the admin's email and a new password. Not stored in clear.
             */
            code: string;
            /**
             * Format: date-time
             * @description When it stops working (ten minutes after it was made).
             */
            expires_at: string;
        };
        /** @description A new account. */
        CreateAccountRequest: {
            /** @description Login email (unique across the cloud). */
            email: string;
            /** @description Display name. */
            name: string;
            /** @description Initial password (10+ characters, not a common one). */
            password: string;
            /**
             * @description `manager` or `viewer`.
             * @example manager
             */
            role: string;
        };
        /** @description A location to add. */
        CreateLocationRequest: {
            /** @description Street address, up to 200 characters. */
            address?: string | null;
            /** @description Name ("Providencia"), up to 80 characters. */
            name: string;
            /** @description Its path; absent: made from the name (`providencia`, `providencia-2`, …). */
            slug?: string | null;
        };
        /** @description A customer. */
        CustomerRow: {
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /** @description Email. */
            email?: string | null;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /** @description Accepts marketing. */
            marketing_consent: boolean;
            /** @description Name. */
            name: string;
            /** @description Notes. */
            notes?: string | null;
            /** @description Phone (E.164). */
            phone?: string | null;
            /** @description RUT. */
            rut?: string | null;
        };
        /** @description Sales per business day and location. */
        DailySales: {
            /** @description Days with orders, by date then location (days without any are left out). */
            days: components["schemas"]["DaySales"][];
            /**
             * Format: date
             * @description First business date.
             */
            from: string;
            /**
             * Format: date
             * @description Last business date.
             */
            to: string;
        };
        /** @description One closed day in a location's list: who closed it and its headline figures. */
        DayCloseSummary: {
            /**
             * Format: int64
             * @description Sales divided by orders.
             */
            average_ticket: number;
            /**
             * Format: date
             * @description The business day.
             */
            business_date: string;
            /**
             * Format: int64
             * @description Counted minus expected over the day's counted drawers (`None`: none counted).
             */
            cash_difference?: number | null;
            /**
             * Format: date-time
             * @description When.
             */
            closed_at: string;
            /** @description Who closed it. */
            closed_by_name?: string | null;
            /**
             * Format: int64
             * @description Everything the ledger took in.
             */
            collected: number;
            /**
             * Format: int64
             * @description Diners served.
             */
            covers: number;
            /** @description The counter that closed it (its sync device id). */
            device_id: string;
            /** @description That counter's name, while the cloud knows it. */
            device_name?: string | null;
            /** @description The Z counts rows from earlier closed days (late corrections). */
            has_late_corrections: boolean;
            /**
             * Format: uuid
             * @description The close's id.
             */
            id: string;
            /**
             * Format: int64
             * @description Orders not cancelled.
             */
            orders: number;
            /**
             * Format: int64
             * @description Sales, IVA included, without tips (CLP).
             */
            sales: number;
            /**
             * Format: int64
             * @description Tips, all methods.
             */
            tips: number;
        };
        /** @description One closed day with its whole Z report, as the counter printed it. */
        DayCloseView: {
            /**
             * Format: date
             * @description The business day.
             */
            business_date: string;
            /**
             * Format: date-time
             * @description When.
             */
            closed_at: string;
            /** @description Who closed it. */
            closed_by_name?: string | null;
            /** @description The counter that closed it (its sync device id). */
            device_id: string;
            /** @description That counter's name, while the cloud knows it. */
            device_name?: string | null;
            /**
             * Format: uuid
             * @description The close's id.
             */
            id: string;
            /**
             * Format: uuid
             * @description The location.
             */
            location_id: string;
            /** @description Its name. */
            location_name: string;
            /** @description The Z report, frozen. */
            report: components["schemas"]["DayReport"];
        };
        /** @description The X or Z report of one business day. */
        DayReport: {
            /** @description `sales / orders`, to the peso. */
            average_ticket: components["schemas"]["Clp"];
            /** @description The business day (`YYYY-MM-DD`). */
            business_date: string;
            /** @description Sales by channel (every channel, zero when unused). */
            by_channel: components["schemas"]["ChannelLine"][];
            /** @description Collections by payment method (every method, zero when unused). */
            by_method: components["schemas"]["MethodLine"][];
            /**
             * Format: int64
             * @description Orders cancelled.
             */
            cancelled_orders: number;
            /** @description Everything the ledger took in: payments plus tips minus refunds. */
            collected: components["schemas"]["Clp"];
            /**
             * Format: int64
             * @description Diners served: the covers of the orders not cancelled (orders that record none,
             *     such as most counter sales, add nothing).
             */
            covers: number;
            /**
             * Format: int32
             * @description The hour the day starts and ends at, local time.
             */
            cutoff_hour: number;
            /** @description Discounts granted. */
            discounts: components["schemas"]["Clp"];
            /** @description Drawer sessions: expected against counted. */
            drawers: components["schemas"]["DrawerLine"][];
            /**
             * Format: int64
             * @description The lowest daily number of the day's orders.
             */
            first_number?: number | null;
            /** @description When it was produced (RFC 3339). */
            generated_at: string;
            /** @description X or Z. */
            kind: components["schemas"]["ReportKind"];
            /**
             * Format: int64
             * @description The highest.
             */
            last_number?: number | null;
            /** @description Rows taken from earlier closed days. */
            late_corrections: components["schemas"]["LateCorrection"][];
            /** @description The sales without IVA: `round(sales / (1 + rate))`. */
            net: components["schemas"]["Clp"];
            /**
             * @description First and last numbers per counter, A first (Zs closed before counters had ranges
             *     have none).
             */
            number_ranges?: components["schemas"]["NumberRange"][];
            /**
             * Format: int64
             * @description Orders not cancelled.
             */
            orders: number;
            /** @description Refunds given (positive). */
            refunds: components["schemas"]["Clp"];
            /** @description What was sold, IVA included, after discounts, without tips. */
            sales: components["schemas"]["Clp"];
            /** @description The IVA inside the sales (`sales − net`). */
            tax: components["schemas"]["Clp"];
            /**
             * Format: int32
             * @description The rate, in basis points (1900 = 19 %).
             */
            tax_rate_bp: number;
            /** @description Tips by card, cash and other. */
            tips: components["schemas"]["TipSplit"];
            /** @description Tips per waiter, largest first. */
            tips_by_waiter: components["schemas"]["WaiterTips"][];
            /**
             * Format: int64
             * @description How many voids there were, listed or not.
             */
            void_count: number;
            /** @description What the voids were worth. */
            voided: components["schemas"]["Clp"];
            /** @description Voided lines and cancelled orders, with who and why (the first [`MAX_LISTED`]). */
            voids: components["schemas"]["VoidEntry"][];
        };
        /** @description One location's day. */
        DaySales: {
            /**
             * Format: int64
             * @description Cancelled orders.
             */
            cancelled_orders: number;
            /**
             * Format: date
             * @description The business date.
             */
            date: string;
            /**
             * Format: uuid
             * @description The location.
             */
            location_id: string;
            /**
             * Format: int64
             * @description Orders not cancelled.
             */
            orders: number;
            /**
             * Format: int64
             * @description Sales (IVA included, orders not cancelled), CLP.
             */
            sales: number;
        };
        /** @description The stored request. */
        DemoAccepted: {
            /**
             * Format: uuid
             * @description Id of the lead.
             */
            id: string;
        };
        /** @description A demo request from the website. */
        DemoRequest: {
            /** @description Email. */
            email: string;
            /** @description Anything else. */
            message?: string | null;
            /** @description Who asks. */
            name: string;
            /** @description Phone. */
            phone?: string | null;
            /** @description Their restaurant. */
            restaurant: string;
        };
        /** @description A device as owners see it. */
        DeviceView: {
            /**
             * Format: date-time
             * @description Enrolment time.
             */
            created_at: string;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: int64
             * @description The cursor the device last pulled to (none before its first pull).
             */
            last_pulled_version?: number | null;
            /**
             * Format: date-time
             * @description Last sync push (the device sending its own changes).
             */
            last_push_at?: string | null;
            /**
             * Format: date-time
             * @description Last authenticated request.
             */
            last_seen_at?: string | null;
            /**
             * Format: date-time
             * @description Last completed sync: the last pull that reached the end of the changes.
             */
            last_sync_at?: string | null;
            /**
             * Format: uuid
             * @description Location it serves.
             */
            location_id: string;
            /** @description Name. */
            name: string;
            /**
             * Format: date-time
             * @description When it was revoked.
             */
            revoked_at?: string | null;
            /**
             * Format: int64
             * @description Seconds since the last completed sync (none before the first).
             */
            sync_lag_secs?: number | null;
            /**
             * Format: int64
             * @description Tenant versions the device has not pulled yet: the tenant's newest version minus
             *     its cursor (none before its first pull). Versions are per tenant, so this also
             *     counts other locations' changes: an upper bound of what the device lacks, 0 right
             *     after a pull that reached the end.
             */
            sync_lag_versions?: number | null;
        };
        /** @description What erasing one diner changed. */
        DinerErased: {
            /** @description Customer rows emptied and deleted. */
            customers: number;
            /**
             * Format: int64
             * @description WhatsApp messages deleted.
             */
            messages: number;
            /** @description Orders whose note was removed (the orders stay, for the books). */
            orders: number;
            /** @description Reservations whose name, phone and notes were removed. */
            reservations: number;
        };
        /** @description One diner to erase. */
        DinerErasure: {
            /** @description Their phone, as they give it (`9 8765 4321`, `+56 9 8765 4321`). */
            phone: string;
        };
        /** @description One drawer session of the day: what it should hold and what was counted. */
        DrawerLine: {
            counted?: components["schemas"]["Clp"] | null;
            difference?: components["schemas"]["Clp"] | null;
            /** @description The drawer's name. */
            drawer_name: string;
            expected?: components["schemas"]["Clp"] | null;
            /** @description The float it was opened with. */
            opening_float: components["schemas"]["Clp"];
            /** @description The session. */
            session_id: string;
            /** @description Where the session stands. */
            status: components["schemas"]["SessionStatus"];
        };
        /** @description An enrolment request from an appliance. */
        EnrollRequest: {
            /** @description A name for the device, e.g. "Caja principal". */
            device_name: string;
            /** @description The one-time code from the dashboard (case and dashes do not matter). */
            enrollment_code: string;
        };
        /** @description The new device and its token (shown once: keep it in the OS keyring). */
        EnrollResponse: {
            /**
             * Format: uuid
             * @description The device.
             */
            device_id: string;
            /** @description Bearer token for the device's requests. */
            device_token: string;
            /**
             * Format: uuid
             * @description The location it serves.
             */
            location_id: string;
            /**
             * Format: uuid
             * @description The tenant.
             */
            tenant_id: string;
        };
        /** @description A new enrolment code (shown once). */
        EnrollmentCode: {
            /** @description The code to type on the appliance. */
            enrollment_code: string;
            /**
             * Format: date-time
             * @description When it stops working.
             */
            expires_at: string;
            /**
             * Format: uuid
             * @description The location it enrols into.
             */
            location_id: string;
        };
        /**
         * @description A synced kind of row. The string form is what the outbox and the wire carry.
         * @enum {string}
         */
        Entity: "user" | "setting" | "category" | "item" | "modifier_group" | "customer" | "table" | "order" | "order_line" | "order_transition" | "payment" | "reservation" | "drawer_session" | "drawer_movement" | "drawer_count" | "audit_event" | "day_close" | "conversation" | "conversation_message";
        /** @description What the owner types to confirm erasing everything. */
        ErasurePhrase: {
            /** @description The restaurant's address name (its slug). */
            confirmation: string;
        };
        /** @description The JSON body of every error answer (for the OpenAPI spec and clients). */
        ErrorBody: {
            /** @description The error. */
            error: components["schemas"]["ErrorDetail"];
        };
        /** @description What went wrong. */
        ErrorDetail: {
            /** @description Stable machine-readable code, e.g. `validation_failed`. */
            code: string;
            /** @description Extra facts, e.g. the id of the existing record in a conflict. */
            details?: unknown;
            /** @description Field path → problem, for invalid input. */
            fields?: {
                [key: string]: string;
            } | null;
            /** @description Human-readable explanation in the request's language. */
            message: string;
        };
        /** @description The email that forgot its password. */
        ForgotPasswordRequest: {
            /** @description The account's login email. */
            email: string;
        };
        /** @description The answer to a reset request: the same for every email. */
        ForgotPasswordResponse: {
            /**
             * @description Whether the cloud can send email at all; when false the owner must ask support
             *     (said on the page, and true or false alike for every email).
             */
            mail_configured: boolean;
        };
        /**
         * @description How the diner gets the order.
         * @enum {string}
         */
        Fulfilment: "pickup" | "delivery" | "dine_in";
        /** @description A text in Spanish and English. */
        Greeting: {
            /**
             * @description English.
             * @default Hi! What would you like today? Order here or book your table.
             */
            en: string;
            /**
             * @description Spanish (Chile).
             * @default ¡Hola! ¿Qué se te antoja hoy? Pide aquí o reserva tu mesa.
             */
            es: string;
        };
        /** @description The health report. */
        Health: {
            /** @description One check per dependency. */
            checks: components["schemas"]["Checks"];
            /** @description `ok` when the service can serve, else `error`. */
            status: string;
            /** @description Version of this build. */
            version: string;
        };
        /**
         * @description One opening interval of a day. A `close` at or before `open` means the interval runs
         *     past midnight into the next day (`19:00`–`01:00`; `00:00` closes at midnight).
         */
        Interval: {
            /** @description Closing time; no booking may end after it. */
            close: components["schemas"]["ClockTime"];
            /** @description Opening time. */
            open: components["schemas"]["ClockTime"];
        };
        /** @description One charge, as the dashboard lists it. */
        Invoice: {
            /**
             * Format: int64
             * @description CLP.
             */
            amount: number;
            /**
             * Format: date-time
             * @description When it was debited (or tried).
             */
            charged_at: string;
            /** @description Mercado Pago's id of the charge. */
            id: string;
            /** @description `paid`, `failed` or `pending`. */
            status: string;
        };
        /** @description Changes to an item; absent fields stay. */
        ItemChanges: {
            /** @description Available. */
            available?: boolean | null;
            /**
             * Format: uuid
             * @description Category (same location).
             */
            category_id?: string | null;
            /** @description Description. */
            description?: string | null;
            /**
             * @description Its modifier groups, in the order the counter asks them (each one of the item's
             *     location); `[]` takes them all off.
             */
            modifier_group_ids?: string[] | null;
            /** @description Name. */
            name?: string | null;
            /**
             * Format: int64
             * @description Price.
             */
            price?: number | null;
        };
        /**
         * Format: uuid
         * @description A menu item.
         */
        ItemId: string;
        /** @description A menu item. */
        ItemRow: {
            /** @description Sold out when false. */
            available: boolean;
            /**
             * Format: uuid
             * @description Category.
             */
            category_id: string;
            /** @description Description. */
            description?: string | null;
            /** @description HLC stamp of the last change. */
            hlc: string;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: uuid
             * @description Location.
             */
            location_id: string;
            /** @description Modifier groups. */
            modifier_group_ids: string[];
            /** @description Name. */
            name: string;
            /** @description English name. */
            name_en?: string | null;
            /** @description Its photo's hash (`/api/v1/media/{photo}.jpg`), when it has one. */
            photo?: string | null;
            /**
             * Format: int32
             * @description Order within the category.
             */
            position: number;
            /**
             * Format: int64
             * @description Price with IVA, CLP.
             */
            price: number;
            /** @description Kitchen station. */
            station: string;
            /**
             * Format: date-time
             * @description Last change.
             */
            updated_at: string;
        };
        /** @description An approval: the location key sealed to the request's public key. */
        JoinApproval: {
            /** @description The sealed box, standard base64 of [`SEALED_KEY_LEN`] bytes. */
            sealed_key: string;
        };
        /** @description A join request as the cloud relays it. */
        JoinRequest: {
            /** @description When it was made (RFC 3339). */
            created_at: string;
            /**
             * Format: uuid
             * @description The cloud's id of the joining device.
             */
            device_id: string;
            /** @description Its name. */
            device_name: string;
            /** @description When it stops waiting (RFC 3339). */
            expires_at: string;
            /**
             * Format: uuid
             * @description The request's id.
             */
            id: string;
            /**
             * @description Its public key (standard base64). Each screen derives the verification code from
             *     the key it holds; the cloud does not send one.
             */
            public_key: string;
            /** @description The location key sealed to `public_key`: only to the joining device, once approved. */
            sealed_key?: string | null;
            /** @description Where it stands. */
            status: components["schemas"]["JoinStatus"];
        };
        /**
         * @description Where a join request stands.
         * @enum {string}
         */
        JoinStatus: "pending" | "approved" | "refused" | "expired";
        /**
         * @description The language a person reads: Spanish (es-CL) first, English second.
         * @enum {string}
         */
        Lang: "es" | "en";
        /** @description A row counted in this day although it is dated in an earlier, closed one. */
        LateCorrection: {
            /** @description What it adds to the day (negative for a refund). */
            amount: components["schemas"]["Clp"];
            /** @description `order` for a late sale, `payment` or `refund` for a late ledger row. */
            kind: string;
            method?: components["schemas"]["PaymentMethod"] | null;
            /**
             * Format: int64
             * @description The order's daily number.
             */
            order_number: number;
        };
        /** @description A lead from the website, where it is in the pipeline. */
        Lead: {
            /**
             * Format: date-time
             * @description When it arrived.
             */
            created_at: string;
            /** @description Email. */
            email: string;
            /**
             * Format: date
             * @description When to follow it up.
             */
            follow_up_on?: string | null;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /** @description What they wrote. */
            message?: string | null;
            /** @description Who wrote. */
            name: string;
            /** @description The operator's notes. */
            notes: string;
            /** @description Phone. */
            phone?: string | null;
            /** @description Their restaurant (may be empty for a contact message). */
            restaurant: string;
            /** @description `demo` (the /demo form or API) or `contact` (the /contacto form). */
            source: string;
            /** @description Its stage. */
            stage: components["schemas"]["LeadStage"];
            /**
             * Format: date-time
             * @description Its last change.
             */
            updated_at: string;
        };
        /** @description A page of leads. */
        LeadPage: {
            /** @description Leads, newest first. */
            leads: components["schemas"]["Lead"][];
            /**
             * Format: int64
             * @description The `offset` of the next page; none on the last.
             */
            next_offset?: number | null;
        };
        /**
         * @description Where a lead is in the sales pipeline (the console shows nuevo, contactado, demo,
         *     ganado, perdido).
         * @enum {string}
         */
        LeadStage: "new" | "contacted" | "demo" | "won" | "lost";
        /** @description Where the operator puts a lead. */
        LeadUpdateRequest: {
            /**
             * Format: date
             * @description When to follow it up (`YYYY-MM-DD`); null clears it.
             */
            follow_up_on?: string | null;
            /** @description Notes, replacing the old ones (up to 4,000 characters). */
            notes?: string;
            /** @description Its stage. */
            stage: components["schemas"]["LeadStage"];
        };
        /** @description What an owner sends to link the account. */
        LinkRequest: {
            /** @description The production access token (`APP_USR-…`) from "Tus integraciones". */
            access_token: string;
            /** @description The webhook's secret signature from the same application. */
            webhook_secret: string;
        };
        /** @description Whether the tenant has linked an account (the credentials are never answered). */
        LinkStatus: {
            /** @description True when linked. */
            linked: boolean;
            /**
             * Format: date-time
             * @description When it was linked.
             */
            linked_at?: string | null;
            /** @description Where Mercado Pago sends this restaurant's notifications (for "Tus integraciones"). */
            notification_url: string;
        };
        /** @description What the live channel says: the tenant's version moved. */
        LiveNotice: {
            /**
             * Format: int64
             * @description The tenant's newest version.
             */
            version: number;
        };
        /** @description A name or text in both languages (English falls back to Spanish). */
        Localized: {
            /** @description English. */
            en: string;
            /** @description Spanish. */
            es: string;
        };
        /**
         * @description How diners find and call a location: its address, phone and weekly hours as the
         *     counter's owner set them (synced `restaurant.*` settings). Each is `None` until set,
         *     so the hosted page and the widget never show a default the owner did not choose.
         */
        LocationContact: {
            /** @description Street address. */
            address?: string | null;
            opening_hours?: components["schemas"]["OpeningHours"] | null;
            /** @description Contact phone, as the owner wrote it. */
            phone?: string | null;
        };
        /** @description One location's column of the comparison. */
        LocationFigures: {
            /**
             * Format: int64
             * @description Sales over orders, CLP.
             */
            average_ticket: number;
            /**
             * Format: uuid
             * @description The location.
             */
            location_id: string;
            /** @description Its name. */
            name: string;
            /**
             * Format: int64
             * @description Orders not cancelled.
             */
            orders: number;
            /**
             * Format: int64
             * @description Sales with IVA, CLP (orders not cancelled).
             */
            sales: number;
            /** @description Its five best sellers by units. */
            top_items: components["schemas"]["TopItemView"][];
        };
        /** @description The fingerprint of the location key a counter holds (`POST /sync/location-key`). */
        LocationKeyClaim: {
            /** @description The key's fingerprint (never the key). */
            fingerprint: string;
        };
        /** @description The location's key as the cloud knows it: its fingerprint, once a counter claimed it. */
        LocationKeyState: {
            /** @description The claimed key's fingerprint; `None` while no counter has claimed one. */
            fingerprint?: string | null;
        };
        /** @description One location's sales. */
        LocationSalesView: {
            /**
             * Format: int64
             * @description Sales divided by orders.
             */
            average_ticket: number;
            /**
             * Format: int64
             * @description Cancelled orders.
             */
            cancelled_orders: number;
            /**
             * Format: uuid
             * @description The location.
             */
            location_id: string;
            /** @description Its name. */
            name: string;
            /**
             * Format: int64
             * @description Net.
             */
            net: number;
            /**
             * Format: int64
             * @description Orders.
             */
            orders: number;
            /**
             * Format: int64
             * @description Sales.
             */
            sales: number;
            /**
             * Format: int64
             * @description IVA.
             */
            tax: number;
            /**
             * Format: int64
             * @description Tips.
             */
            tips: number;
        };
        /** @description A location as the dashboard's overview shows it. */
        LocationStatus: {
            /**
             * Format: int64
             * @description Devices enrolled and not revoked.
             */
            active_devices: number;
            /**
             * Format: int64
             * @description Changes made in the cloud (owners' edits, other counters) that its furthest-behind
             *     counter has not pulled yet; null when it has no counter.
             */
            changes_waiting?: number | null;
            /**
             * Format: date-time
             * @description The newest contact of its devices with the cloud.
             */
            last_seen_at?: string | null;
            /**
             * Format: date-time
             * @description The newest completed sync of its devices.
             */
            last_sync_at?: string | null;
            /**
             * Format: uuid
             * @description The location.
             */
            location_id: string;
            /** @description Its name. */
            name: string;
            /**
             * @description A counter of the location holds its live channel to the cloud right now
             *     (`crate::presence`): what the widget tells diners, and what orders wait for.
             */
            online: boolean;
            /** @description Its IANA time zone. */
            time_zone: string;
            /**
             * Format: date
             * @description Today's business date in the location's time zone.
             */
            today: string;
            /**
             * Format: int64
             * @description Today's orders not cancelled.
             */
            today_orders: number;
            /**
             * Format: int64
             * @description Today's sales (IVA included, orders not cancelled), CLP.
             */
            today_sales: number;
        };
        /** @description A location as owners see it. */
        LocationView: {
            /**
             * Format: int64
             * @description Devices enrolled and not revoked.
             */
            active_devices: number;
            /** @description Street address. */
            address?: string | null;
            /** @description True once closed (its data is kept; the widget says it is closed). */
            closed: boolean;
            /**
             * Format: date-time
             * @description When it was closed.
             */
            closed_at?: string | null;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /** @description Name. */
            name: string;
            /** @description Its path in the widget and the hosted page (`/r/{tenant}/{slug}`). */
            slug: string;
            /** @description IANA time zone. */
            time_zone: string;
        };
        /** @description Email and password. */
        LoginRequest: {
            /** @description Login email. */
            email: string;
            /** @description Password. */
            password: string;
        };
        /** @description Who is signed in and what they may do. */
        MeResponse: {
            /**
             * @description Whether the account's email was confirmed by its link (a tenant account; always
             *     true for a super_admin). The dashboard shows a banner until it is.
             */
            email_verified: boolean;
            /** @description Whether the cloud can send email at all (a transport is configured). */
            mail_configured: boolean;
            /** @description What the account's role allows. */
            permissions: components["schemas"]["Permission"][];
            /** @description The account. */
            user: components["schemas"]["AccountView"];
        };
        /** @description The whole menu: categories, items and modifier groups. */
        Menu: {
            /** @description Categories. */
            categories: components["schemas"]["CategoryRow"][];
            /** @description Items. */
            items: components["schemas"]["ItemRow"][];
            /** @description Modifier groups. */
            modifier_groups: components["schemas"]["ModifierGroupRow"][];
        };
        /** @description What one payment method collected. */
        MethodLine: {
            /** @description The method. */
            method: components["schemas"]["PaymentMethod"];
            /** @description Paid toward sales (tips apart). */
            paid: components["schemas"]["Clp"];
            /**
             * Format: int64
             * @description Payments (not refunds) recorded.
             */
            payments: number;
            /** @description Given back (positive). */
            refunded: components["schemas"]["Clp"];
            /** @description Tips. */
            tips: components["schemas"]["Clp"];
            /** @description `paid − refunded + tips`: what the method should hold at the end of the day. */
            total: components["schemas"]["Clp"];
        };
        /** @description A modifier group. */
        ModifierGroupRow: {
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: uuid
             * @description Location.
             */
            location_id: string;
            /**
             * Format: int32
             * @description Most choices.
             */
            max_choices: number;
            /**
             * Format: int32
             * @description Fewest choices.
             */
            min_choices: number;
            /** @description Name. */
            name: string;
            /** @description Options (`[{id, name, price_delta}]`). */
            options: Record<string, never>;
        };
        /**
         * Format: uuid
         * @description One option of a modifier group.
         */
        ModifierOptionId: string;
        /** @description One local change, as a device pushes it. The mutation id makes a retried push harmless. */
        Mutation: {
            /** @description What kind of row. */
            entity: components["schemas"]["Entity"];
            /** @description The row's id (a setting's key for settings). */
            entity_id: string;
            /** @description HLC timestamp of the change, as text (sorts as time). */
            hlc: string;
            /** @description Idempotency key (UUIDv7 made when the change was committed locally). */
            mutation_id: string;
            /** @description Upsert the given fields, or tombstone the row. */
            op: components["schemas"]["Op"];
            /** @description The changed fields (a partial row is fine: only these fields are merged). */
            payload: Record<string, never>;
        };
        /** @description The cloud's answer for one mutation. A replayed mutation gets its first answer again. */
        MutationResult: {
            current?: components["schemas"]["ChangeRecord"] | null;
            /** @description Human-readable detail for staff (Spanish first, as the rest of the product). */
            detail?: string | null;
            /** @description The mutation this answers. */
            mutation_id: string;
            /** @description Applied, adjusted or rejected. */
            outcome: components["schemas"]["Outcome"];
            /** @description Machine-readable reason for `adjusted` and `rejected` (e.g. `illegal_transition`). */
            reason?: string | null;
        };
        /** @description A backup about to be uploaded. */
        NewBackup: {
            /**
             * Format: uuid
             * @description Its id (the counter makes it).
             */
            id: string;
            /**
             * Format: date-time
             * @description When the counter took it.
             */
            taken_at: string;
        };
        /** @description A new category of a location's menu. */
        NewCategory: {
            /**
             * Format: uuid
             * @description The location whose menu gets it.
             */
            location_id: string;
            /** @description Name ("Postres"). */
            name: string;
            /** @description English name, shown to diners who read English. */
            name_en?: string | null;
        };
        /** @description A new item. */
        NewItem: {
            /** @description Available (default true). */
            available?: boolean | null;
            /**
             * Format: uuid
             * @description Its category (which decides the location).
             */
            category_id: string;
            /** @description Description. */
            description?: string | null;
            /** @description Name. */
            name: string;
            /**
             * Format: int64
             * @description Price with IVA, CLP.
             */
            price: number;
        };
        /** @description A new counter asks to join (`POST /sync/join-requests`). */
        NewJoinRequest: {
            /** @description How the admins will see it ("Caja 2"). */
            device_name: string;
            /** @description Its X25519 public key, standard base64 of 32 bytes. */
            public_key: string;
        };
        /**
         * @description Where one kind of message goes.
         * @enum {string}
         */
        NoticeChannel: "email" | "whatsapp" | "off";
        /**
         * @description The language the messages are written in.
         * @enum {string}
         */
        NoticeLang: "es" | "en";
        /** @description The owner's choices. */
        NoticePrefs: {
            /** @description Alerts: a counter offline for over an hour while the location is open. */
            alerts: components["schemas"]["NoticeChannel"];
            /** @description The language of the messages. */
            lang: components["schemas"]["NoticeLang"];
            stuck_alerts?: components["schemas"]["NoticeChannel"] | null;
            /** @description The weekly summary, Mondays 08:00 (Santiago). */
            weekly_summary: components["schemas"]["NoticeChannel"];
            /** @description The WhatsApp number (`+56912345678`), needed when a channel is WhatsApp. */
            whatsapp_to?: string | null;
        };
        /**
         * @description How the diner wants to hear about the order.
         * @enum {string}
         */
        NotifyChannel: "whatsapp" | "sms" | "email" | "none";
        /**
         * @description The order numbers one counter handed out in the day (`crate::numbering`): with two
         *     counters, `1 … 40` and `B-1 … B-12` rather than one range `1 … 10012`.
         */
        NumberRange: {
            /** @description The counter's letter (`A`, `B`, …). */
            counter: string;
            /**
             * Format: int64
             * @description Its lowest order number of the day.
             */
            first: number;
            /**
             * Format: int64
             * @description Its highest.
             */
            last: number;
            /**
             * Format: int64
             * @description How many orders it numbered (cancelled ones included).
             */
            orders: number;
        };
        /**
         * @description What happens to an order while the restaurant is offline.
         * @enum {string}
         */
        OfflinePolicy: "wait" | "refuse";
        /**
         * @description What a mutation does to its row.
         * @enum {string}
         */
        Op: "upsert" | "delete";
        /**
         * @description A restaurant's weekly opening hours: for each weekday, its intervals in local time.
         *     A missing or empty day is closed. Serialized as
         *     `{"monday":[{"open":"12:00","close":"16:00"},{"open":"19:00","close":"23:30"}], ...}`.
         */
        OpeningHours: {
            /** @description Viernes. */
            friday?: components["schemas"]["Interval"][];
            /** @description Lunes. */
            monday?: components["schemas"]["Interval"][];
            /** @description Sábado. */
            saturday?: components["schemas"]["Interval"][];
            /** @description Domingo. */
            sunday?: components["schemas"]["Interval"][];
            /** @description Jueves. */
            thursday?: components["schemas"]["Interval"][];
            /** @description Martes. */
            tuesday?: components["schemas"]["Interval"][];
            /** @description Miércoles. */
            wednesday?: components["schemas"]["Interval"][];
        };
        /** @description The answer to an accepted order. */
        OrderAccepted: {
            /** @description For an order paid online: Mercado Pago's checkout page to send the diner to. */
            checkout_url?: string | null;
            /**
             * Format: int32
             * @description Minutes until it should be ready once accepted: the slowest dish's prep time, or
             *     the owner's usual time when no dish has one. Absent in answers kept before it
             *     existed.
             */
            estimated_minutes?: number | null;
            /**
             * Format: uuid
             * @description The order.
             */
            id: string;
            /** @description The priced lines. */
            lines: components["schemas"]["PricedOrderLine"][];
            /**
             * Format: int64
             * @description The day's order number the diner says at the counter ("pedido 12"); the counter
             *     may renumber it on a clash, so the status view carries the current one.
             */
            number?: number | null;
            /** @description Always `pending`: the restaurant accepts or rejects it. */
            status: string;
            /**
             * @description Secret for `GET orders/{id}` in the `X-Status-Token` header (a replayed request
             *     gets a new one; every token given out keeps working, for `retention_days`).
             */
            status_token: string;
            /**
             * Format: int64
             * @description Total with IVA, CLP.
             */
            total: number;
            /** @description True when the restaurant is offline and the order waits for it. */
            waiting_for_restaurant: boolean;
        };
        /** @description The diner. */
        OrderCustomer: {
            /** @description Email. */
            email?: string | null;
            /** @description Name. */
            name: string;
            /** @description Phone. */
            phone: string;
        };
        /** @description An order with its lines, status history and payments. */
        OrderDetail: components["schemas"]["OrderRow"] & {
            /** @description Its lines. */
            lines: components["schemas"]["OrderLineRow"][];
            /** @description Its payments and refunds. */
            payments: components["schemas"]["PaymentRow"][];
            /** @description Its status changes. */
            transitions: components["schemas"]["TransitionRow"][];
        };
        /** @description One line as the diner asks for it. */
        OrderLineRequest: {
            /**
             * Format: uuid
             * @description The menu item.
             */
            item_id: string;
            /** @description A note for the kitchen. */
            note?: string | null;
            /** @description Chosen modifier options. */
            options?: string[];
            /**
             * Format: int64
             * @description How many (1–999).
             */
            quantity: number;
        };
        /** @description A line of an order. */
        OrderLineRow: {
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: uuid
             * @description Menu item.
             */
            item_id: string;
            /**
             * Format: int64
             * @description Line total.
             */
            line_total: number;
            /** @description Chosen modifiers. */
            modifiers: Record<string, never>;
            /** @description Name at the time of ordering. */
            name: string;
            /** @description Note. */
            note?: string | null;
            /**
             * Format: int32
             * @description Position in the order.
             */
            position: number;
            /**
             * Format: int32
             * @description Quantity.
             */
            quantity: number;
            /**
             * Format: int64
             * @description Unit price with modifiers.
             */
            unit_price: number;
            /**
             * Format: date-time
             * @description When it was voided.
             */
            voided_at?: string | null;
        };
        /** @description A widget order. */
        OrderRequest: {
            /** @description Delivery address (required for delivery). */
            address?: string | null;
            /** @description Who orders. */
            customer: components["schemas"]["OrderCustomer"];
            /** @description Pickup, delivery or dine-in. */
            fulfilment: components["schemas"]["Fulfilment"];
            /** @description The diner's language (`es` or `en`). */
            language?: string | null;
            /** @description What. */
            lines: components["schemas"]["OrderLineRequest"][];
            /**
             * @description The diner accepted messages about this order (Ley 19.628); without `true` nothing
             *     is sent, whatever `notify_by` says.
             */
            messages_consent?: boolean | null;
            /** @description A note for the restaurant. */
            note?: string | null;
            notify_by?: components["schemas"]["NotifyChannel"] | null;
            /** @description How the diner pays (as the owner's `ordering.payment` allows). */
            payment?: components["schemas"]["PaymentChoice"];
            /**
             * @description Where Mercado Pago sends the diner back after paying online: a page of one of the
             *     widget's allowed origins; absent: the restaurant's hosted page (`/r/{slug}`).
             */
            return_url?: string | null;
        };
        /** @description An order as the owners' API shows it. */
        OrderRow: {
            /**
             * Format: int64
             * @description Still to pay.
             */
            amount_due: number;
            /**
             * Format: date
             * @description Local business date.
             */
            business_date: string;
            /** @description Why it was cancelled. */
            cancel_reason?: string | null;
            cancel_request?: components["schemas"]["CancelRequest"] | null;
            /** @description `counter`, `dine_in`, `takeaway`, `delivery`, `widget`, … */
            channel: string;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /**
             * Format: uuid
             * @description Customer, if known.
             */
            customer_id?: string | null;
            /**
             * Format: int64
             * @description Discount.
             */
            discount: number;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: uuid
             * @description The location that took it.
             */
            location_id: string;
            /**
             * Format: int64
             * @description Net of IVA.
             */
            net: number;
            /** @description Note. */
            note?: string | null;
            /**
             * Format: int32
             * @description Number of the day at its location.
             */
            number: number;
            /** @description Status. */
            status: string;
            /**
             * Format: int64
             * @description Sum of lines.
             */
            subtotal: number;
            /**
             * Format: uuid
             * @description Table, if dine-in.
             */
            table_id?: string | null;
            /**
             * Format: int64
             * @description IVA.
             */
            tax: number;
            /**
             * Format: int64
             * @description Tip.
             */
            tip: number;
            /**
             * Format: int64
             * @description Total with IVA.
             */
            total: number;
            /**
             * Format: date-time
             * @description Last change.
             */
            updated_at: string;
        };
        /** @description An order's status as the diner sees it. */
        OrderStatusView: {
            /**
             * Format: uuid
             * @description The order.
             */
            id: string;
            /**
             * Format: int64
             * @description The day's order number as the counter has it now (it may renumber on a clash).
             */
            number?: number | null;
            /**
             * @description For an order paid online: `awaiting` (not paid yet), `paid` or `refunded`; absent
             *     when it is paid at pickup.
             */
            payment?: string | null;
            /** @description Why the restaurant cancelled it. */
            reason?: string | null;
            /** @description `pending`, `confirmed`, `preparing`, `ready`, `completed` or `cancelled`. */
            status: string;
            /**
             * Format: int64
             * @description Total with IVA, CLP.
             */
            total: number;
            /**
             * Format: date-time
             * @description Last change.
             */
            updated_at: string;
        };
        /** @description Online orders. */
        OrderingSettings: {
            /**
             * @description What happens while the restaurant is offline.
             * @default refuse
             */
            offline_policy: components["schemas"]["OfflinePolicy"];
            /**
             * @description Whether the widget takes orders at all.
             * @default true
             */
            online_orders: boolean;
            /**
             * @description How diners may pay (online needs a linked Mercado Pago account; without one the
             *     widget offers paying at pickup only).
             * @default at_pickup
             */
            payment: components["schemas"]["PaymentOptions"];
            /**
             * Format: int32
             * @description Minutes an order usually takes when none of its dishes has its own prep time: the
             *     diner is told "listo en unos N minutos" instead of waiting blind.
             * @default 20
             */
            prep_minutes: number;
        };
        /**
         * @description What became of one pushed mutation.
         * @enum {string}
         */
        Outcome: "applied" | "adjusted" | "rejected";
        /** @description A booking made by an owner or manager on the dashboard. */
        OwnerBooking: {
            /** @description Contact email. */
            email?: string | null;
            /**
             * Format: uuid
             * @description The location.
             */
            location_id: string;
            /** @description Name the booking is under. */
            name: string;
            /** @description A note for the restaurant. */
            note?: string | null;
            /**
             * Format: int32
             * @description How many people.
             */
            party_size: number;
            /** @description Contact phone. */
            phone: string;
            /** @description Start: one of the location's slots (RFC 3339, or local wall-clock time). */
            starts_at: string;
        };
        /**
         * @description How the diner pays this order.
         * @enum {string}
         */
        PaymentChoice: "at_pickup" | "online";
        /**
         * @description How a diner paid. Only cash is rounded (Ley 20.956); the others pay the exact amount.
         * @enum {string}
         */
        PaymentMethod: "cash" | "debit" | "credit" | "transfer" | "mercado_pago";
        /**
         * @description How diners may pay a widget order.
         * @enum {string}
         */
        PaymentOptions: "at_pickup" | "online" | "both";
        /** @description A payment or refund. */
        PaymentRow: {
            /**
             * Format: int64
             * @description Amount.
             */
            amount: number;
            /**
             * Format: date-time
             * @description When.
             */
            created_at: string;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /** @description `payment` or `refund`. */
            kind: string;
            /** @description `cash`, `card`, `transfer`, … */
            method: string;
            /**
             * Format: int64
             * @description Tip.
             */
            tip: number;
        };
        /**
         * @description One thing a route may require.
         * @enum {string}
         */
        Permission: "orders:read" | "orders:create" | "orders:update" | "payments:write" | "menu:read" | "menu:write" | "customers:read" | "customers:write" | "reservations:read" | "reservations:create" | "reservations:update" | "tables:read" | "tables:write" | "reports:read" | "settings:read" | "settings:write" | "users:read" | "users:manage" | "conversations:read" | "conversations:write" | "drawer:read" | "drawer:operate" | "drawer:audit" | "audit:read";
        /** @description What a plan allows, as `/planes` sells it. */
        PlanLimits: {
            /**
             * Format: int64
             * @description Enrolled counters (devices) per location (none: unlimited).
             */
            counters_per_location?: number | null;
            /**
             * Format: int64
             * @description Open locations (none: unlimited).
             */
            locations?: number | null;
            /** @description Orders and questions over WhatsApp. */
            whatsapp: boolean;
            /** @description The ordering and booking widget. */
            widget: boolean;
        };
        /** @description A plan to subscribe or move to. */
        PlanRequest: {
            /** @description `basic`, `pro` or `enterprise`. */
            plan: string;
        };
        /** @description A tenant as the platform sees it. */
        PlatformTenant: {
            /**
             * Format: int64
             * @description Its devices seen in the last five minutes: counters online now.
             */
            counters_online: number;
            /**
             * Format: date-time
             * @description Sign-up time.
             */
            created_at: string;
            /**
             * Format: int64
             * @description Its enrolled, unrevoked devices.
             */
            devices: number;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: date-time
             * @description The last request of any of its devices (none before the first).
             */
            last_device_seen_at?: string | null;
            /**
             * Format: date-time
             * @description The last completed sync of any of its devices.
             */
            last_sync_at?: string | null;
            /**
             * Format: int64
             * @description Its locations.
             */
            locations: number;
            /** @description Business name. */
            name: string;
            /** @description `basic`, `pro` or `enterprise`. */
            plan: string;
            /** @description URL name. */
            slug: string;
            /** @description `active` or `suspended`. */
            status: string;
            /**
             * Format: date-time
             * @description When it was last suspended.
             */
            suspended_at?: string | null;
            /** @description Why it was last suspended (its owners are told so while it is). */
            suspension_reason?: string | null;
        };
        /** @description A priced line of the answer. */
        PricedOrderLine: {
            /**
             * Format: uuid
             * @description The menu item.
             */
            item_id: string;
            /**
             * Format: int64
             * @description `unit_price × quantity`.
             */
            line_total: number;
            /** @description Its name (Spanish, as the ticket prints it). */
            name: string;
            /**
             * Format: int32
             * @description How many.
             */
            quantity: number;
            /**
             * Format: int64
             * @description Unit price with options, CLP.
             */
            unit_price: number;
        };
        /** @description A category of the public menu. */
        PublicCategory: {
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /** @description Items in menu order. */
            items: components["schemas"]["PublicItem"][];
            /** @description Name. */
            name: components["schemas"]["Localized"];
        };
        /** @description An item of the public menu. */
        PublicItem: {
            /** @description Allergens it contains (`milk`, `gluten`…), so a diner can choose safely. */
            allergens: string[];
            /** @description False when sold out (shown, but cannot be ordered). */
            available: boolean;
            description?: components["schemas"]["Localized"] | null;
            /**
             * Format: uuid
             * @description Id (what an order's line names).
             */
            id: string;
            /** @description Its modifier groups. */
            modifier_groups: components["schemas"]["PublicModifierGroup"][];
            /** @description Name. */
            name: components["schemas"]["Localized"];
            photo?: components["schemas"]["PublicPhoto"] | null;
            /**
             * Format: int32
             * @description Minutes it takes to prepare, when the owner set it: the order's time estimate.
             */
            prep_minutes?: number | null;
            /**
             * Format: int64
             * @description Price with IVA, CLP.
             */
            price: number;
            /** @description The owner's tags (`vegan`, `gluten_free`…), shown to diners as words. */
            tags: string[];
        };
        /** @description The public menu. */
        PublicMenu: {
            /** @description Active categories in menu order, each with its items. */
            categories: components["schemas"]["PublicCategory"][];
            /** @description Always `CLP` (integer pesos, IVA included). */
            currency: string;
            /**
             * Format: int64
             * @description The tenant's sync version the menu was read at.
             */
            version: number;
        };
        /** @description A modifier group of an item. */
        PublicModifierGroup: {
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: int32
             * @description Most choices.
             */
            max_choices: number;
            /**
             * Format: int32
             * @description Fewest choices.
             */
            min_choices: number;
            /** @description Name. */
            name: components["schemas"]["Localized"];
            /** @description Options in menu order. */
            options: components["schemas"]["PublicOption"][];
        };
        /** @description An option of a modifier group. */
        PublicOption: {
            /** @description False when sold out. */
            available: boolean;
            /**
             * Format: uuid
             * @description Id (what an order's line lists in `options`).
             */
            id: string;
            /** @description Name. */
            name: components["schemas"]["Localized"];
            /**
             * Format: int64
             * @description Added to the item's price, CLP.
             */
            price_delta: number;
        };
        /** @description A menu item's photo, with its size so the widget reserves the space before it loads. */
        PublicPhoto: {
            /** @description Its name: `/api/v1/public/{slug}/media/{hash}.jpg` (`{hash}-thumb.jpg`, 200 px). */
            hash: string;
            /**
             * Format: int32
             * @description Height in pixels (at most 800).
             */
            height: number;
            /**
             * Format: int32
             * @description Width in pixels (at most 800).
             */
            width: number;
        };
        /** @description A page of changes after a cursor. */
        PullResponse: {
            /** @description The changes, by version. */
            changes: components["schemas"]["ChangeRecord"][];
            /**
             * Format: int64
             * @description Where the next pull starts (the last version in this page, or the cursor sent).
             */
            cursor: number;
            /** @description More changes wait after `cursor`. */
            has_more: boolean;
        };
        /** @description A batch of a device's mutations, oldest first. */
        PushRequest: {
            /** @description The mutations, in the order they were committed on the device. */
            mutations: components["schemas"]["Mutation"][];
            /**
             * Format: int32
             * @description The sync protocol version the device speaks.
             */
            schema_version: number;
        };
        /** @description The cloud's answer to a push. */
        PushResponse: {
            /** @description One result per mutation, in the order sent. */
            results: components["schemas"]["MutationResult"][];
        };
        /** @description The code the counter's admin typed. */
        RedeemRecoveryCode: {
            /** @description The owner's code, `XXXX-XXXX-XXXX` (case, spaces and dashes do not matter). */
            code: string;
        };
        /** @description A refresh token, when not sent as the cookie. */
        RefreshRequest: {
            /** @description The refresh token from the last sign-in or refresh. */
            refresh_token: string;
        };
        /** @description A new name. */
        RenameRequest: {
            /** @description The name. */
            name: string;
        };
        /**
         * @description Mid-shift (X) or end of day (Z).
         * @enum {string}
         */
        ReportKind: "x" | "z";
        /** @description Whether a verification mail was queued. */
        ResendVerificationResponse: {
            /** @description Whether the cloud can send email at all. */
            mail_configured: boolean;
            /** @description False when the email is verified already or a link went out within the minute. */
            queued: boolean;
        };
        /** @description The answer to a booking. */
        ReservationAccepted: {
            /**
             * Format: uuid
             * @description The reservation.
             */
            id: string;
            /**
             * Format: int32
             * @description The party.
             */
            party_size: number;
            /**
             * Format: date-time
             * @description Its start.
             */
            starts_at: string;
            /** @description `confirmed` (a table is held) or `pending` (the restaurant confirms). */
            status: string;
            /** @description The table's name when confirmed. */
            table?: string | null;
        };
        /** @description A booking from the widget. */
        ReservationRequest: {
            /** @description Email. */
            email?: string | null;
            /** @description `es` or `en`: the language of those messages. */
            language?: string | null;
            /**
             * @description Whether the diner accepts messages about this booking (confirmation, reminders) by
             *     WhatsApp or SMS (Ley 19.628); recorded with the booking. `false`: none is sent.
             *     Absent: the widget did not ask, and messages about the booking itself are sent
             *     (each offers BAJA).
             */
            messages_consent?: boolean | null;
            /** @description Name the booking is under. */
            name: string;
            /** @description A note for the restaurant. */
            note?: string | null;
            /**
             * Format: int32
             * @description How many people.
             */
            party_size: number;
            /** @description Phone. */
            phone: string;
            /** @description One of the day's start times (RFC 3339). */
            starts_at: string;
        };
        /** @description A reservation. */
        ReservationRow: {
            /**
             * Format: uuid
             * @description Customer, if known.
             */
            customer_id?: string | null;
            /** @description Name on the booking. */
            customer_name: string;
            /**
             * Format: date-time
             * @description End.
             */
            ends_at: string;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: uuid
             * @description Location.
             */
            location_id: string;
            /** @description Notes. */
            notes?: string | null;
            /**
             * Format: int32
             * @description Covers.
             */
            party_size: number;
            /** @description Phone. */
            phone?: string | null;
            /** @description Where it came from. */
            source: string;
            /**
             * Format: date-time
             * @description Start.
             */
            starts_at: string;
            /** @description Status. */
            status: string;
            /**
             * Format: uuid
             * @description Table.
             */
            table_id?: string | null;
        };
        /** @description A reset link's token and the new password. */
        ResetPasswordRequest: {
            /** @description The new password (10+ characters, not a common one). */
            password: string;
            /** @description The token from the mailed link. */
            token: string;
        };
        /** @description A signed-in session: who, what they may do, and the tokens (also set as cookies). */
        SessionResponse: {
            /** @description Bearer token; lives 15 minutes. */
            access_token: string;
            /**
             * Format: int64
             * @description Seconds until the access token expires.
             */
            expires_in: number;
            /** @description What the account's role allows in its tenant (empty for a super_admin). */
            permissions: components["schemas"]["Permission"][];
            /** @description Single-use token for `POST /auth/refresh`. */
            refresh_token: string;
            /** @description Always `Bearer`. */
            token_type: string;
            /** @description The signed-in account. */
            user: components["schemas"]["AccountView"];
        };
        /**
         * @description Where a drawer session stands.
         * @enum {string}
         */
        SessionStatus: "open" | "counted" | "recount" | "closed";
        /** @description A new restaurant business. */
        SignupRequest: {
            /** @description The owner's email (their login). */
            email: string;
            /** @description The owner's name. */
            owner_name: string;
            /** @description The owner's password (10+ characters, not a common one). */
            password: string;
            /** @description `basic` (default), `pro` or `enterprise`. */
            plan?: string;
            /** @description The business's name. */
            restaurant_name: string;
            /** @description URL name: 3–40 lowercase letters, digits, hyphens. */
            slug: string;
        };
        /** @description What a sign-up created. */
        SignupResponse: {
            /** @description Where the owner signs in. */
            dashboard_url: string;
            /** @description One-time code to enrol the first appliance (valid 24 h, shown once). */
            enrollment_code: string;
            /**
             * Format: uuid
             * @description Its first location.
             */
            location_id: string;
            /** @description Its slug. */
            slug: string;
            /**
             * Format: uuid
             * @description The tenant.
             */
            tenant_id: string;
        };
        /** @description One start time of a day, and whether a table for the party is free then. */
        Slot: {
            /** @description A table in service that seats the party is free for the whole booking. */
            available: boolean;
            /**
             * Format: date-time
             * @description The start (RFC 3339).
             */
            starts_at: string;
        };
        /**
         * @description A staff member's message in a relayed conversation (taken over from the assistant in
         *     the panel), sent by the appliance to the cloud so it reaches the diner. The appliance
         *     keeps it until the cloud took it; the cloud stores it once by `id`.
         */
        StaffChatMessage: {
            /**
             * Format: uuid
             * @description The relayed conversation (the widget's id, the same on both sides).
             */
            conversation_id: string;
            /**
             * Format: uuid
             * @description The message's id on the appliance: a resend is taken once.
             */
            id: string;
            /** @description What staff wrote, plain text, 1 to [`MAX_STAFF_MESSAGE_CHARS`] characters. */
            text: string;
        };
        /** @description A batch of staff messages (`POST /api/v1/sync/chat-messages`). */
        StaffChatMessages: {
            /** @description At most [`MAX_STAFF_MESSAGES`] messages, oldest first. */
            messages: components["schemas"]["StaffChatMessage"][];
        };
        /** @description A staff member's message. */
        StaffMessage: {
            /**
             * Format: uuid
             * @description Its id: ask for the ones `after` it next time.
             */
            id: string;
            /**
             * Format: date-time
             * @description When the cloud received it.
             */
            sent_at: string;
            /** @description What staff wrote, plain text. */
            text: string;
        };
        /** @description Staff's messages, oldest first. */
        StaffMessages: {
            /** @description At most 50; ask again `after` the last for more. */
            messages: components["schemas"]["StaffMessage"][];
        };
        /** @description A staff account of an appliance. */
        StaffRow: {
            /** @description Active. */
            active: boolean;
            /**
             * Format: date-time
             * @description Creation time.
             */
            created_at: string;
            /** @description Email. */
            email: string;
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /**
             * Format: uuid
             * @description Location.
             */
            location_id: string;
            /** @description Name. */
            name: string;
            /** @description Role at the restaurant. */
            role: string;
        };
        /**
         * @description Where the tenant stands with its payments.
         * @enum {string}
         */
        Standing: "unsubscribed" | "pending" | "trial" | "active" | "grace" | "cancelled" | "read_only";
        /** @description Sales over a period, in total and per location. */
        Summary: {
            /**
             * Format: int64
             * @description Sales divided by orders.
             */
            average_ticket: number;
            /**
             * Format: int64
             * @description Cancelled orders.
             */
            cancelled_orders: number;
            /**
             * Format: date
             * @description First business date.
             */
            from: string;
            /** @description The same per location. */
            locations: components["schemas"]["LocationSalesView"][];
            /**
             * Format: int64
             * @description Sales without IVA.
             */
            net: number;
            /**
             * Format: int64
             * @description Orders not cancelled.
             */
            orders: number;
            /**
             * Format: int64
             * @description Totals (IVA included) of orders not cancelled, in CLP.
             */
            sales: number;
            /**
             * Format: int64
             * @description IVA.
             */
            tax: number;
            /**
             * Format: int64
             * @description Tips.
             */
            tips: number;
            /**
             * Format: date
             * @description Last business date.
             */
            to: string;
        };
        /** @description Why a tenant is suspended. */
        SuspendRequest: {
            /** @description Shown to its owners when the cloud refuses them (1 to 500 characters). */
            reason?: string;
        };
        /** @description What erasing a tenant's customer data removed. */
        TenantErased: {
            /**
             * Format: int64
             * @description Customers deleted.
             */
            customers: number;
            /**
             * Format: int64
             * @description Conversation messages deleted.
             */
            messages: number;
            /**
             * Format: int64
             * @description Orders whose note was cleared (the orders themselves stay, for the books).
             */
            orders: number;
            /**
             * Format: int64
             * @description Reservations deleted.
             */
            reservations: number;
        };
        /** @description Everything the cloud holds about a tenant's diners. */
        TenantExport: {
            /** @description Conversation messages (widget and WhatsApp). */
            conversations: components["schemas"]["ConversationMessage"][];
            /** @description Customers. */
            customers: components["schemas"]["CustomerRow"][];
            /**
             * Format: date-time
             * @description When the export was made.
             */
            exported_at: string;
            /** @description Orders (with their notes, which name widget diners). */
            orders: components["schemas"]["OrderRow"][];
            /** @description Reservations. */
            reservations: components["schemas"]["ReservationRow"][];
        };
        /** @description A page of tenants. */
        TenantPage: {
            /**
             * Format: int64
             * @description The `offset` of the next page; none on the last.
             */
            next_offset?: number | null;
            /** @description Tenants, newest first. */
            tenants: components["schemas"]["PlatformTenant"][];
        };
        /** @description The signed-in account's business. */
        TenantView: {
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /** @description Business name. */
            name: string;
            /** @description `basic`, `pro` or `enterprise`. */
            plan: string;
            /** @description URL name: `/r/{slug}`, the widget's `data-restaurant`, the public API's `{slug}`. */
            slug: string;
        };
        /**
         * @description Tips kept apart by how they were paid: the card ones arrive with the terminal's
         *     settlement, the cash ones are already in the drawer.
         */
        TipSplit: {
            /** @description Debit and credit cards. */
            card: components["schemas"]["Clp"];
            /** @description Notes and coins. */
            cash: components["schemas"]["Clp"];
            /** @description Transfers and Mercado Pago. */
            other: components["schemas"]["Clp"];
            /** @description All of them. */
            total: components["schemas"]["Clp"];
        };
        /** @description One of a location's best sellers. */
        TopItemView: {
            /** @description Item name. */
            name: string;
            /**
             * Format: int64
             * @description Units sold.
             */
            quantity: number;
            /**
             * Format: int64
             * @description What they sold for, CLP with IVA.
             */
            sales: number;
        };
        /** @description A status change of an order. */
        TransitionRow: {
            /**
             * Format: date-time
             * @description When.
             */
            at: string;
            /** @description From. */
            from_status?: string | null;
            /** @description Why. */
            reason?: string | null;
            /** @description To. */
            to_status: string;
        };
        /** @description What an owner sends to link Twilio. Write-only: never answered back. */
        TwilioLinkRequest: {
            /** @description The Account SID (`AC` and 32 hex digits), from Twilio's console. */
            account_sid: string;
            /** @description The Auth Token. */
            auth_token: string;
            /** @description The sending number in E.164 (`+56…`), when no messaging service is given. */
            from_number?: string | null;
            /** @description A Messaging Service SID (`MG…`): Twilio picks the sender. */
            messaging_service_sid?: string | null;
        };
        /** @description Whether Twilio is linked, and the URLs to set in Twilio's console. Never the token. */
        TwilioLinkStatus: {
            /** @description The "A message comes in" webhook URL to set on the number (STOP, ALTA, SI, NO). */
            inbound_url: string;
            /** @description Whether an account is linked. */
            linked: boolean;
            /**
             * Format: date-time
             * @description When it was linked.
             */
            linked_at?: string | null;
            /** @description The sender (number or messaging service) when linked. */
            sender?: string | null;
        };
        /** @description What to change; absent fields stay as they are. */
        UpdateAccountRequest: {
            /** @description `false` deactivates (its sessions close at once), `true` reactivates. */
            active?: boolean | null;
            /**
             * @description Limits the account to these locations (a manager of Providencia sees only
             *     Providencia); empty: every location. Applies from its next request. Not for owners.
             */
            location_ids?: string[] | null;
            /** @description New display name. */
            name?: string | null;
            /**
             * @description New role: `manager` or `viewer`.
             * @example viewer
             */
            role?: string | null;
        };
        /** @description What to change of a location; absent fields stay as they are. */
        UpdateLocationRequest: {
            /** @description New address; empty clears it. */
            address?: string | null;
            /** @description New name. */
            name?: string | null;
            /** @description New path (old links to the widget stop finding it). */
            slug?: string | null;
        };
        /** @description A verification link's token. */
        VerifyEmailRequest: {
            /** @description The token from the mailed link. */
            token: string;
        };
        /** @description A voided line or a cancelled order, with who and why. */
        VoidEntry: {
            /** @description What it was worth. */
            amount: components["schemas"]["Clp"];
            /** @description When (RFC 3339). */
            at: string;
            /** @description Who voided it. */
            by?: string | null;
            /** @description What was voided (the item's name, or `None` for the whole order). */
            item?: string | null;
            /**
             * Format: int64
             * @description The order's daily number.
             */
            order_number: number;
            /**
             * Format: int64
             * @description How many units.
             */
            quantity: number;
            /** @description Why. */
            reason?: string | null;
        };
        /** @description The tips one waiter earned: the tip-out. */
        WaiterTips: {
            /** @description Their tips by how they were paid. */
            tips: components["schemas"]["TipSplit"];
            /** @description The waiter's name (`None`: orders nobody signed, such as the widget's). */
            waiter?: string | null;
        };
        /**
         * @description What the owner enters to link a number (all from Meta's WhatsApp Manager and app
         *     dashboard, except the verify token, which they make up and enter in both).
         */
        WhatsAppLinkRequest: {
            /** @description A (system user) access token with `whatsapp_business_messaging`. */
            access_token: string;
            /** @description The Meta app's secret: checks the webhook's signatures. */
            app_secret: string;
            /** @description The phone number id (digits). */
            phone_number_id: string;
            /**
             * @description An approved template with one body parameter, sent outside the 24-hour window
             *     (lower case, digits and `_`); `dysa_aviso` when absent.
             */
            template_name?: string | null;
            /** @description The verify token entered in Meta's webhook settings (8 to 200 characters). */
            verify_token: string;
            /** @description The WhatsApp Business Account id (digits). */
            waba_id: string;
        };
        /** @description A linked number as owners see it (no secret). */
        WhatsAppLinkView: {
            /** @description The access token's last four characters, to tell tokens apart. */
            access_token_hint: string;
            /**
             * Format: date-time
             * @description When it was linked.
             */
            linked_at: string;
            /** @description The phone number id. */
            phone_number_id: string;
            /** @description The template for outside the window. */
            template_name: string;
            /** @description The WhatsApp Business Account id. */
            waba_id: string;
            /** @description The callback URL to enter in Meta's webhook settings. */
            webhook_url: string;
        };
        /** @description A location's WhatsApp. */
        WhatsAppStatus: {
            link?: components["schemas"]["WhatsAppLinkView"] | null;
        };
        /** @description Online bookings. */
        WidgetBookings: {
            /** @description Whether the widget offers bookings. */
            enabled: boolean;
            /**
             * Format: int32
             * @description The largest party it offers.
             */
            max_party_size: number;
        };
        /** @description What the widget needs to start. */
        WidgetConfig: {
            /** @description How the widget looks. */
            appearance: components["schemas"]["Appearance"];
            /** @description Online bookings. */
            bookings: components["schemas"]["WidgetBookings"];
            /** @description The location served. */
            location: components["schemas"]["WidgetLocation"];
            /** @description How the restaurant can tell a diner about their order. */
            messages: components["schemas"]["WidgetMessages"];
            /** @description Online orders. */
            ordering: components["schemas"]["WidgetOrdering"];
            /** @description The restaurant. */
            restaurant: components["schemas"]["WidgetRestaurant"];
            /** @description True while a device of the location holds its live connection. */
            restaurant_online: boolean;
        };
        /**
         * @description The widget's language.
         * @enum {string}
         */
        WidgetLanguage: "auto" | "es" | "en";
        /** @description The location served. */
        WidgetLocation: components["schemas"]["LocationContact"] & {
            /**
             * Format: uuid
             * @description Id.
             */
            id: string;
            /** @description Name. */
            name: string;
            /** @description IANA time zone. */
            time_zone: string;
        };
        /** @description The channels a diner may choose to hear about their order. */
        WidgetMessages: {
            /**
             * @description `whatsapp` (the location has a linked number), `sms` (the restaurant linked
             *     Twilio), `email` (the cloud can send mail); the widget adds "none".
             */
            channels: components["schemas"]["NotifyChannel"][];
        };
        /** @description Online orders, as the widget must offer them right now. */
        WidgetOrdering: {
            /** @description What happens to an order while the restaurant is offline. */
            offline_policy: components["schemas"]["OfflinePolicy"];
            /** @description False when the owner turned them off or the counter paused them. */
            online_orders: boolean;
            /**
             * @description How the diner may pay: `at_pickup`, `online` or `both` (online only while the
             *     restaurant has a Mercado Pago account linked).
             */
            payment: components["schemas"]["PaymentOptions"];
            /**
             * Format: int32
             * @description The owner's usual preparation time, minutes (for dishes without their own).
             */
            prep_minutes: number;
        };
        /**
         * @description Which corner the widget's button sits in.
         * @enum {string}
         */
        WidgetPosition: "right" | "left";
        /** @description The restaurant's names. */
        WidgetRestaurant: {
            /** @description Its name. */
            name: string;
            /** @description Its slug. */
            slug: string;
        };
        /** @description Everything an owner sets about the widget. */
        WidgetSettings: {
            /**
             * @description Web sites allowed to call the public API from a browser: exact origins
             *     (`https://mirestaurante.cl`, `http://localhost:5173`), no path.
             * @default []
             */
            allowed_origins: string[];
            /**
             * @description How the widget looks.
             * @default {
             *       "accent_color": "#F2B705",
             *       "greeting": {
             *         "en": "Hi! What would you like today? Order here or book your table.",
             *         "es": "¡Hola! ¿Qué se te antoja hoy? Pide aquí o reserva tu mesa."
             *       },
             *       "language": "auto",
             *       "logo_url": null,
             *       "position": "right",
             *       "primary_color": "#B3261E"
             *     }
             */
            appearance: components["schemas"]["Appearance"];
            /**
             * @description Online bookings.
             * @default {
             *       "enabled": true,
             *       "max_party_size": 8,
             *       "online_quota_per_slot": 4
             *     }
             */
            bookings: components["schemas"]["BookingSettings"];
            /**
             * @description How much each location takes through the widget per hour.
             * @default {
             *       "bookings_per_hour": 20,
             *       "chat_turns_per_hour": 300,
             *       "orders_per_hour": 60,
             *       "pending_orders_per_phone": 3
             *     }
             */
            budgets: components["schemas"]["BudgetSettings"];
            /**
             * @description Online orders.
             * @default {
             *       "offline_policy": "refuse",
             *       "online_orders": true,
             *       "payment": "at_pickup",
             *       "prep_minutes": 20
             *     }
             */
            ordering: components["schemas"]["OrderingSettings"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
