"""The best-practices catalogue behind each rendered project's best_practices.json.

Every practice names the task that brings it, the evidence in the rendered
project (``path::symbol``, ``{package}`` standing for package_name) and the
project's own tests that verify it, per framework. hooks/write_manifest.py
checks each claim against the render, so this file cannot drift from the
templates unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MANIFEST_NAME = "best_practices.json"

# Where a practice comes from: the seed's five best practices, its
# troubleshooting table, or the security items of DESIGN.md.
SEED = "seed best practice"
TROUBLESHOOTING = "seed troubleshooting"
SECURITY = "security"
OPERATIONS = "operations"


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    task: str
    sources: tuple[str, ...]
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    verified_by: dict[str, tuple[str, ...]] = field(default_factory=dict)


FASTAPI_SRC = "src/{package}"

CATALOGUE: tuple[Practice, ...] = (
    Practice(
        id="validate-inputs",
        title="Validate all inputs: typed settings at start-up, request bodies and parameters per route",
        task="api",
        sources=(SEED,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/core/errors.py::_validation_error",
                f"{FASTAPI_SRC}/core/config.py::load_settings",
                f"{FASTAPI_SRC}/core/middleware.py::incoming_request_id",
            ),
            "express": (
                "src/core/validation.ts::parseInput",
                "src/config.ts::loadConfig",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_errors.py::test_invalid_input_is_a_422_problem_listing_each_error",
                "tests/test_errors.py::test_malformed_json_is_a_422_problem",
                "tests/test_settings.py::test_invalid_value_is_refused_naming_the_variable",
            ),
            "express": (
                "test/errors.test.ts::answers invalid input with a 422 problem listing each bad field",
                "test/errors.test.ts::replaces the raw input with the validated output",
                "test/errors.test.ts::answers malformed JSON with a 422 problem",
                "test/config.test.ts::refuses a bad value with a message naming the variable",
            ),
        },
    ),
    Practice(
        id="error-handling",
        title="Proper error handling: one error type, RFC 9457 problem responses, no internals leaked",
        task="api",
        sources=(SEED,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/core/errors.py::AppError",
                f"{FASTAPI_SRC}/core/errors.py::install_error_handlers",
                f"{FASTAPI_SRC}/core/middleware.py::RequestContextMiddleware",
            ),
            "express": (
                "src/core/errors.ts::AppError",
                "src/core/problem.ts::problemHandler",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_errors.py::test_unknown_route_is_a_404_problem",
                "tests/test_errors.py::test_wrong_method_is_a_405_problem_naming_the_allowed_ones",
                "tests/test_errors.py::test_app_error_becomes_a_problem_with_its_status",
                "tests/test_errors.py::test_unhandled_error_is_a_500_problem_without_internals",
                "tests/test_errors.py::test_unhandled_error_is_logged_with_the_request_id",
            ),
            "express": (
                "test/errors.test.ts::answers an unknown route with a 404 problem",
                "test/errors.test.ts::answers a wrong method with a 405 problem and an Allow header",
                "test/errors.test.ts::hides the cause of a 500 and logs it with the request id",
                "test/errors.test.ts::turns an AppError into a problem with its status and detail",
            ),
        },
    ),
    Practice(
        id="request-logging",
        title="Request/response logging: one JSON line per request, never a secret",
        task="api",
        sources=(SEED, SECURITY),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/core/logging.py::JsonFormatter",
                f"{FASTAPI_SRC}/core/logging.py::configure_logging",
                f"{FASTAPI_SRC}/core/middleware.py::RequestContextMiddleware",
            ),
            "express": (
                "src/core/access-log.ts::accessLog",
                "src/core/logger.ts::createLogger",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_request_context.py::test_each_request_writes_one_json_log_line",
                "tests/test_request_context.py::test_error_responses_are_logged_with_their_status",
                "tests/test_request_context.py::test_authorization_and_cookies_never_reach_the_log",
                "tests/test_request_context.py::test_a_response_cut_short_is_logged_as_aborted",
            ),
            "express": (
                "test/logging.test.ts::writes one JSON access line per request with its fields",
                "test/logging.test.ts::never logs credentials or request bodies",
            ),
        },
    ),
    Practice(
        id="request-id",
        title="Correlate every request with X-Request-ID (echoed when valid, generated otherwise)",
        task="api",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/core/middleware.py::incoming_request_id",
                f"{FASTAPI_SRC}/core/logging.py::request_context",
            ),
            "express": ("src/core/request-id.ts::requestId",),
        },
        verified_by={
            "fastapi": (
                "tests/test_request_context.py::test_valid_incoming_request_id_is_echoed",
                "tests/test_request_context.py::test_missing_request_id_is_generated_as_uuid4",
                "tests/test_request_context.py::test_invalid_incoming_request_id_is_replaced",
            ),
            "express": (
                "test/request-id.test.ts::echoes a valid incoming request id",
                "test/request-id.test.ts::generates a UUID4 when the request has none",
                "test/request-id.test.ts::replaces an invalid incoming id with a new UUID4",
            ),
        },
    ),
    Practice(
        id="openapi-document",
        title="An OpenAPI 3.1 document at /openapi.json, generated from the schemas that validate "
        "requests, every error documented as a problem with its status and headers, and every status and "
        "header the middlewares add (rate limit, body limit and, where rendered, pool timeout, X-Cache, ETag)",
        task="api",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/core/openapi.py::install_openapi",
                f"{FASTAPI_SRC}/core/openapi.py::Problem",
                f"{FASTAPI_SRC}/core/openapi.py::Amendment",
            ),
            "express": (
                "src/openapi.ts::createOpenApiDocument",
                "src/core/openapi.ts::ProblemSchema",
                "src/core/openapi.ts::amendRoutes",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_health.py::test_openapi_document_is_served",
                "tests/test_openapi.py::test_every_error_is_documented_as_a_problem",
                "tests/test_openapi.py::test_every_response_documents_its_request_id",
                "tests/test_openapi.py::test_api_answers_document_the_rate_limit_and_the_body_limit",
            ),
            "express": (
                "test/openapi.test.ts::serves the OpenAPI 3.1 document generated from the route schemas",
                "test/openapi.test.ts::documents only routes that exist, with the status each one answers",
                "test/openapi.test.ts::describes every validation error as a problem listing the bad fields",
                "test/openapi.test.ts::documents the rate limit on API answers and the body limit",
            ),
        },
    ),
    Practice(
        id="security-headers",
        title="Security headers on every response, HSTS by setting, CORS allow-list empty by default "
        "(a preflight is answered 204 without a body, allowed or not)",
        task="api",
        sources=(SECURITY,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/core/middleware.py::_SECURITY_HEADERS",
                f"{FASTAPI_SRC}/core/middleware.py::CORS_EXPOSED_HEADERS",
                f"{FASTAPI_SRC}/app.py::AllowListCORSMiddleware",
                f"{FASTAPI_SRC}/core/cors.py::AllowListCORSMiddleware",
            ),
            "express": (
                "src/core/security.ts::securityMiddleware",
                "src/core/security.ts::CORS_EXPOSED_HEADERS",
                "src/core/security.ts::isPreflight",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_request_context.py::test_security_headers_are_on_every_response",
                "tests/test_request_context.py::test_hsts_is_sent_only_when_enabled",
                "tests/test_request_context.py::test_cors_allows_only_the_configured_origins",
                "tests/test_request_context.py::test_cors_exposes_the_service_headers_to_allowed_origins",
                "tests/test_request_context.py::test_no_cross_origin_access_by_default",
                "tests/test_request_context.py::test_a_preflight_is_204_without_a_body_whatever_the_origin",
            ),
            "express": (
                "test/security-headers.test.ts::are set on every response, errors included",
                "test/security-headers.test.ts::include HSTS only when HSTS_ENABLED is set",
                "test/security-headers.test.ts::allows only the origins listed in CORS_ORIGINS",
                "test/security-headers.test.ts::exposes the service's headers to allowed origins",
                "test/security-headers.test.ts::answers any preflight 204 without a body, as the FastAPI service does",
            ),
        },
    ),
    Practice(
        id="graceful-shutdown",
        title="Graceful shutdown: SIGTERM stops accepting, lets in-flight requests finish "
        "(SHUTDOWN_TIMEOUT_SECONDS), then closes the pools and exits 0",
        task="api",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (f"{FASTAPI_SRC}/__main__.py::timeout_graceful_shutdown",),
            "express": ("src/server.ts::closeIdleConnections",),
        },
        verified_by={
            "fastapi": ("tests/test_serve.py::test_sigterm_lets_an_in_flight_request_finish_then_exits_cleanly",),
            "express": (
                "test/server.test.ts::finishes in-flight requests on SIGTERM, refuses new connections, exits 0",
            ),
        },
    ),
    Practice(
        id="admission-control",
        title="Bound the work in progress: at most MAX_CONCURRENT_REQUESTS API requests run at once per "
        "process; the rest wait in arrival order within the request time limit, health checks never wait",
        task="api",
        sources=(TROUBLESHOOTING, OPERATIONS),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/core/admission.py::AdmissionGate",
                f"{FASTAPI_SRC}/core/admission.py::AdmissionMiddleware",
                f"{FASTAPI_SRC}/core/config.py::max_concurrent_requests",
            ),
            "express": (
                "src/core/admission.ts::AdmissionGate",
                "src/app.ts::admission(",
                "src/config.ts::MAX_CONCURRENT_REQUESTS",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_admission.py::test_requests_past_the_limit_wait_and_are_admitted_in_arrival_order",
                "tests/test_admission.py::test_health_checks_are_answered_while_every_api_slot_is_taken",
                "tests/test_admission.py::test_a_request_that_waits_past_the_time_limit_is_a_503_and_never_runs",
            ),
            "express": (
                "test/admission.test.ts::admits waiting requests in arrival order",
                "test/admission.test.ts::answers the health checks while every API slot is taken",
                "test/admission.test.ts::frees the place of a waiting client that went away",
                # One line, as the test is named: grep finds it.
                "test/admission.test.ts::answers a request that waits past REQUEST_TIMEOUT_SECONDS with the timeout problem",  # noqa: E501
            ),
        },
    ),
    Practice(
        id="rate-limiting",
        title="Rate limiting: RateLimit-* headers on every API response, a 429 problem with Retry-After past "
        "RATE_LIMIT_PER_MINUTE per client; with cache the counters live in Redis, shared by every instance",
        task="api",
        sources=(SECURITY,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/core/limits.py::RateLimitMiddleware",
                f"{FASTAPI_SRC}/core/windows.py::WindowCounter",
                f"{FASTAPI_SRC}/core/config.py::rate_limit_per_minute",
            ),
            "express": (
                "src/core/limits.ts::rateLimit",
                "src/app.ts::rateLimit(limiter, logger)",
                "src/config.ts::RATE_LIMIT_PER_MINUTE",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_limits.py::test_api_responses_carry_rate_limit_headers",
                "tests/test_limits.py::test_requests_over_the_limit_are_a_429_problem_with_retry_after",
                "tests/test_limits.py::test_each_client_address_has_its_own_limit",
            ),
            "express": (
                "test/limits.test.ts::puts RateLimit headers on every API response, counting down",
                "test/limits.test.ts::answers past the limit with a 429 problem and Retry-After",
                "test/limits.test.ts::gives each client address its own limit",
            ),
        },
    ),
    Practice(
        id="connection-pooling",
        title="Use connection pooling: a PostgreSQL pool with a hard ceiling (DB_POOL_SIZE), "
        "dead connections dropped before reuse, recycled after 30 minutes, and a connect timeout, "
        "against connection exhaustion",
        task="database",
        sources=(SEED, TROUBLESHOOTING),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/database/engine.py::create_engine",
                f"{FASTAPI_SRC}/database/engine.py::replace_closed_connection",
                f"{FASTAPI_SRC}/database/config.py::db_pool_size",
                f"{FASTAPI_SRC}/app.py::open_database",
            ),
            "express": ("src/database/pool.ts::createPool",),
        },
        verified_by={
            "fastapi": (
                "tests/database/test_database_health.py::test_pool_is_sized_from_db_pool_size",
                "tests/database/test_database_health.py::test_creating_the_app_connects_to_nothing",
                "tests/database/test_pool.py::test_a_connection_postgresql_closed_is_replaced_before_use",
            ),
            "express": (
                "test/database/settings.test.ts::sizes the pool from DB_POOL_SIZE with a default of 10",
                "test/database/transaction.test.ts::returns the connection to the pool after a rollback",
            ),
        },
    ),
    Practice(
        id="pool-exhaustion-503",
        title="Bound the wait for a pooled connection (DB_POOL_TIMEOUT_SECONDS): an exhausted pool "
        "answers 503 problem+json (database_busy) with Retry-After, never a hang or a 500",
        task="database",
        sources=(TROUBLESHOOTING,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/database/errors.py::DatabaseBusyError",
                f"{FASTAPI_SRC}/database/dependencies.py::open_session",
                f"{FASTAPI_SRC}/database/config.py::db_pool_timeout_seconds",
            ),
            "express": (
                "src/database/errors.ts::DatabaseBusyError",
                "src/database/errors.ts::databaseErrors",
                "src/database/pool.ts::connectionTimeoutMillis",
            ),
        },
        verified_by={
            "fastapi": ("tests/database/test_pool.py::test_an_exhausted_pool_answers_503_with_retry_after",),
            "express": (
                # One line, as the test is named: grep finds it.
                "test/database/pool-timeout.test.ts::answers 503 with Retry-After: 1 while every connection is held, and 200 once one is free",  # noqa: E501
            ),
        },
    ),
    Practice(
        id="database-transactions",
        title="Use database transactions: commit on success, roll back every write on error",
        task="database",
        sources=(SEED,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/database/dependencies.py::get_session",
                f"{FASTAPI_SRC}/database/dependencies.py::SessionDep",
            ),
            "express": ("src/database/transaction.ts::withTransaction",),
        },
        verified_by={
            "fastapi": (
                "tests/database/test_transactions.py::test_session_commits_when_the_route_succeeds",
                "tests/database/test_transactions.py::test_app_error_after_two_writes_leaves_nothing_behind",
                "tests/database/test_transactions.py::test_failed_third_write_rolls_back_the_first_two",
                "tests/database/test_transactions.py::test_failed_commit_is_an_error_response_not_a_success",
            ),
            "express": (
                "test/database/transaction.test.ts::commits every step when the work succeeds",
                "test/database/transaction.test.ts::leaves nothing behind when a later step fails in the database",
                "test/database/transaction.test.ts::leaves nothing behind when the code throws between steps",
            ),
        },
    ),
    Practice(
        id="database-readiness",
        title="Readiness probe really queries PostgreSQL, with a timeout, and answers 503 when it is down",
        task="database",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/database/engine.py::check_database",
                f"{FASTAPI_SRC}/health/router.py::CHECK_TIMEOUT_SECONDS",
            ),
            "express": (
                "src/database/pool.ts::checkDatabase",
                "src/health/health.router.ts::checkReadiness",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_health.py::test_ready_lists_every_dependency_as_ok",
                "tests/database/test_database_health.py::test_ready_is_503_when_postgresql_becomes_unreachable",
            ),
            "express": (
                "test/database/readiness.test.ts::turns /health/ready into a 503 when PostgreSQL becomes unreachable",
                "test/health.test.ts::reports ready with one ok check per configured dependency",
            ),
        },
    ),
    Practice(
        id="startup-retry",
        title="Start-up connections retry 3 times with exponential backoff and jitter, then fail clearly",
        task="database",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/core/retry.py::retry",
                f"{FASTAPI_SRC}/database/engine.py::open_database",
            ),
            "express": (
                "src/core/retry.ts::retry",
                "src/database/pool.ts::openDatabase",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_retry.py::test_retries_until_success_with_exponential_delays",
                "tests/test_retry.py::test_gives_up_after_three_attempts_naming_the_target",
                "tests/database/test_database_health.py::test_startup_fails_clearly_when_postgresql_is_unreachable",
            ),
            "express": (
                "test/retry.test.ts::gives up after three attempts and rethrows the last error",
                "test/retry.test.ts::backs off exponentially",
                "test/database/readiness.test.ts::retries three times then fails with a message naming PostgreSQL",
            ),
        },
    ),
    Practice(
        id="redis-pooling",
        title="Use connection pooling: one Redis client pool sized from settings, shared by every request",
        task="cache",
        sources=(SEED, TROUBLESHOOTING),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/cache/client.py::create_redis",
                f"{FASTAPI_SRC}/cache/client.py::BlockingConnectionPool",
                f"{FASTAPI_SRC}/cache/config.py::redis_pool_size",
            ),
            "express": ("src/cache/redis.ts::createRedis",),
        },
        verified_by={
            "fastapi": (
                "tests/cache/test_cache_client.py::test_redis_pool_is_sized_from_redis_pool_size",
                "tests/cache/test_cache_client.py::test_routes_reach_redis_through_the_shared_client",
            ),
            "express": (
                "test/cache/redis.test.ts::does not connect when it is created",
                "test/cache/redis.test.ts::fails a command at once while Redis is unreachable instead of queueing it",
            ),
        },
    ),
    Practice(
        id="redis-readiness",
        title="Readiness probe really pings Redis, with a timeout, and answers 503 when it is down",
        task="cache",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/cache/client.py::check_redis",
                f"{FASTAPI_SRC}/health/router.py::CHECK_TIMEOUT_SECONDS",
            ),
            "express": ("src/cache/redis.ts::checkRedis",),
        },
        verified_by={
            "fastapi": (
                "tests/test_health.py::test_ready_lists_every_dependency_as_ok",
                "tests/cache/test_cache_health.py::test_ready_is_503_when_redis_becomes_unreachable",
                "tests/cache/test_cache_health.py::test_ready_is_503_when_redis_stops_answering",
                "tests/cache/test_cache_health.py::test_startup_fails_clearly_when_redis_is_unreachable",
            ),
            "express": ("test/cache/readiness.test.ts::turns /health/ready into a 503 when Redis becomes unreachable",),
        },
    ),
    Practice(
        id="cache-aside",
        title="Slow responses: GET /posts/{id} read cache-aside from Redis (X-Cache HIT or MISS, CACHE_TTL_SECONDS), "
        "dropped when the post or its author changes, served from storage while Redis is down",
        task="cache",
        sources=(TROUBLESHOOTING,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/cache/aside.py::CacheAside",
                f"{FASTAPI_SRC}/cache/dependencies.py::forget_again",
                f"{FASTAPI_SRC}/posts/router.py::get_or_load",
                f"{FASTAPI_SRC}/cache/keys.py::author_tag",
            ),
            "express": (
                "src/cache/aside.ts::CacheAside",
                "src/cache/middleware.ts::forgetAgain",
                "src/posts/posts.router.ts::postCache(res).read",
                "src/cache/keys.ts::authorTag",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/cache/test_post_cache.py::test_second_read_is_a_hit",
                "tests/cache/test_post_cache.py::test_patch_invalidates_the_cached_post",
                "tests/cache/test_post_cache.py::test_delete_invalidates_the_cached_post",
                "tests/cache/test_post_cache.py::test_deleting_the_author_invalidates_their_cached_posts",
                "tests/cache/test_post_cache.py::test_reads_fall_back_to_storage_while_redis_is_down",
                "tests/cache/test_post_cache.py::test_dropped_values_are_dropped_again_after_the_commit",
            ),
            "express": (
                "test/cache/post-cache.test.ts::misses, then hits with the same post",
                "test/cache/post-cache.test.ts::drops the post when it is changed",
                "test/cache/post-cache.test.ts::drops the post when it is deleted",
                "test/cache/post-cache.test.ts::drops the author's posts when the author is deleted",
                "test/cache/post-cache.test.ts::serves reads from storage while Redis is down, readiness 503",
                "test/cache/post-cache.test.ts::drops again, after the commit, what a request dropped",
            ),
        },
    ),
    Practice(
        id="cache-stampede-protection",
        title="Cache-stampede protection: concurrent misses of one key load it once, "
        "queued on a per-key lock in the process and on a short Redis lock across instances",
        task="cache",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/cache/aside.py::KeyLocks",
                f"{FASTAPI_SRC}/cache/aside.py::LOCK_MILLISECONDS",
                f"{FASTAPI_SRC}/cache/aside.py::_wait_for",
            ),
            "express": (
                "src/cache/aside.ts::KeyLocks",
                "src/cache/aside.ts::LOCK_MILLISECONDS",
                "src/cache/aside.ts::waitFor",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/cache/test_post_cache.py::test_twenty_concurrent_misses_load_the_post_once",
                "tests/cache/test_post_cache.py::test_concurrent_misses_in_one_process_compute_once",
                "tests/cache/test_post_cache.py::test_a_miss_loading_in_another_process_is_waited_for",
            ),
            "express": (
                "test/cache/post-cache.test.ts::loads the post once for twenty concurrent misses",
                "test/cache/post-cache.test.ts::computes concurrent misses in one process once",
                "test/cache/post-cache.test.ts::waits for a miss that another process is loading",
            ),
        },
    ),
    Practice(
        id="password-hashing",
        title="Passwords hashed with Argon2id, never returned or logged; unknown emails cost the same work",
        task="auth",
        sources=(SECURITY,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/auth/passwords.py::PasswordHasher",
                f"{FASTAPI_SRC}/auth/passwords.py::_DUMMY_HASH",
            ),
            "express": (
                "src/auth/passwords.ts::argon2.argon2id",
                "src/auth/passwords.ts::dummyHash",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/auth/test_tokens_api.py::test_wrong_password_and_unknown_email_get_the_same_401",
                "tests/auth/test_tokens_api.py::test_the_password_hash_is_never_returned",
            ),
            "express": (
                "test/auth/sessions.test.ts::stores the password as an Argon2id hash",
                "test/auth/sessions.test.ts::answers an unknown email and a wrong password with the same 401",
            ),
        },
    ),
    Practice(
        id="jwt-verification",
        title="JWTs verified with a pinned algorithm and every claim required (sub, role, iat, exp, iss, aud, jti)",
        task="auth",
        sources=(SECURITY,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/auth/tokens.py::_REQUIRED_CLAIMS",
                f"{FASTAPI_SRC}/auth/tokens.py::read_access_token",
            ),
            "express": (
                "src/auth/tokens.ts::REQUIRED_CLAIMS",
                "src/auth/tokens.ts::readAccessToken",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/auth/test_tokens_api.py::test_forged_or_stale_access_tokens_are_rejected",
                "tests/auth/test_tokens_api.py::test_missing_token_is_401_with_www_authenticate",
                "tests/auth/test_asymmetric_keys.py::test_hs256_keyed_with_the_rs256_public_key_is_rejected",
            ),
            "express": (
                "test/auth/tokens.test.ts::rejects a token signed with alg none",
                "test/auth/tokens.test.ts::rejects algorithm confusion: HS256 keyed with the RS256 public key",
                "test/auth/tokens.test.ts::rejects a tampered payload",
            ),
        },
    ),
    Practice(
        id="refresh-token-rotation",
        title="Opaque refresh tokens stored as SHA-256, rotated on use; reuse revokes the whole family",
        task="auth",
        sources=(SECURITY,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/auth/store.py::claim_refresh_token",
                f"{FASTAPI_SRC}/auth/service.py::revoke_family",
            ),
            "express": (
                "src/auth/store.ts::claimRefreshToken",
                "src/auth/service.ts::revokeFamily",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/auth/test_tokens_api.py::test_refresh_rotates_the_pair",
                "tests/auth/test_tokens_api.py::test_refresh_token_reuse_revokes_family",
                "tests/auth/test_tokens_api.py::test_logout_revokes_the_family",
            ),
            "express": (
                "test/auth/sessions.test.ts::rotates: a refresh gives a new pair and retires the old token",
                "test/auth/sessions.test.ts::revokes the whole family when a replaced refresh token is presented again",
                "test/auth/sessions.test.ts::signs out with 204 and revokes the family",
            ),
        },
    ),
    Practice(
        id="rbac-permission-map",
        title="One permission map (role to permissions) in one file, applied by every route; others' records are 404",
        task="auth",
        sources=(SECURITY,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/auth/permissions.py::PERMISSIONS",
                f"{FASTAPI_SRC}/auth/dependencies.py::permit",
            ),
            "express": (
                "src/auth/permissions.ts::PERMISSIONS",
                "src/auth/middleware.ts::permit",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/auth/test_access_api.py::test_rbac_matrix",
                "tests/auth/test_access_api.py::test_user_b_cannot_read_or_change_user_as_records",
                "tests/auth/test_access_api.py::test_the_author_is_the_caller",
            ),
            "express": (
                "test/auth/access.test.ts::RBAC over HTTP",
                "test/auth/access.test.ts::lets only the author or an admin change or delete a post (BOLA)",
                "test/auth/access.test.ts::refuses an author_id when writing or changing a post",
            ),
        },
    ),
    Practice(
        id="login-rate-limit",
        title="Failed sign-ins limited per email and client (429 + Retry-After), counted in Redis with cache",
        task="auth",
        sources=(SECURITY,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/auth/attempts.py::AttemptCounter",
                f"{FASTAPI_SRC}/auth/errors.py::TooManyAttemptsError",
            ),
            "express": (
                "src/auth/attempts.ts::AttemptCounter",
                "src/auth/errors.ts::TooManyAttemptsError",
            ),
        },
        verified_by={
            "fastapi": ("tests/auth/test_tokens_api.py::test_failed_sign_ins_are_limited_with_retry_after",),
            "express": (
                "test/auth/sessions.test.ts::answers 429 with Retry-After after too many failures for one email",
                "test/auth/sessions.test.ts::resets the count after a successful sign-in",
            ),
        },
    ),
    Practice(
        id="secrets-from-env",
        title="Secrets only in the git-ignored .env, generated per project; missing, short or "
        "placeholder secrets are refused at start-up",
        task="auth",
        sources=(SECURITY,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/auth/config.py::AuthSettings",
                f"{FASTAPI_SRC}/auth/config.py::is_placeholder",
                ".env.example::JWT_SECRET",
                ".gitignore::.env",
            ),
            "express": (
                "src/config.ts::jwtSecret",
                "src/config.ts::loadConfig",
                ".env.example::JWT_SECRET",
                ".gitignore::.env",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/test_settings.py::test_missing_jwt_secret_is_refused_by_name",
                "tests/test_settings.py::test_short_jwt_secret_is_refused",
                "tests/test_settings.py::test_placeholder_jwt_secret_is_refused",
                "tests/test_settings.py::test_generated_jwt_secret_is_accepted_and_hidden",
                "tests/test_settings.py::test_invalid_jwt_secret_is_never_echoed",
            ),
            "express": (
                "test/auth/settings.test.ts::refuses a JWT_SECRET shorter than 32 bytes",
                "test/auth/settings.test.ts::refuses placeholder JWT_SECRET values",
                "test/auth/settings.test.ts::refuses to start without JWT_SECRET and names it",
            ),
        },
    ),
    Practice(
        id="query-budget",
        title="No N+1 queries: a page of posts with their authors costs at most 2 SQL statements "
        "whatever its size (eager loading, one join), counted per request",
        task="optimize",
        sources=(TROUBLESHOOTING,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/database/posts.py::_with_author",
                f"{FASTAPI_SRC}/optimize/queries.py::counting_queries",
                f"{FASTAPI_SRC}/optimize/middleware.py::QueryCountMiddleware",
            ),
            "express": (
                "src/database/posts.repository.ts::withAuthor",
                "src/optimize/queries.ts::countingQueries",
                "src/optimize/middleware.ts::queryCount",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/optimize/test_query_budget.py::test_a_page_of_posts_with_authors_costs_at_most_two_statements",
                "tests/optimize/test_query_budget.py::test_statements_are_counted_within_a_block",
                "tests/optimize/test_query_budget.py::test_query_count_header_is_off_by_default",
            ),
            "express": (
                (
                    "test/optimize/query-budget.test.ts::"
                    "costs at most 2 statements for a page of %i posts with their authors"
                ),
                "test/optimize/query-budget.test.ts::costs at most 2 statements for a page of 100 users",
                (
                    "test/optimize/query-budget.test.ts::"
                    "counts the statements sent within a block, whichever code sends them"
                ),
                "test/optimize/query-budget.test.ts::sends no X-Query-Count unless QUERY_COUNT_HEADER is on",
            ),
        },
    ),
    Practice(
        id="keyset-pagination-index",
        title="Keyset pagination (created_at, id) read through its indexes, proven by EXPLAIN on 10 000 posts",
        task="optimize",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/database/posts.py::page_query",
                "migrations/versions/0002_users_and_posts.py::ix_posts_created_at_id",
            ),
            "express": (
                "src/database/posts.repository.ts::pageQuery",
                "migrations/0002_users-and-posts.sql::ix_posts_created_at_id",
                "migrations/0002_users-and-posts.sql::ix_posts_author_id_created_at_id",
            ),
        },
        verified_by={
            "fastapi": ("tests/optimize/test_explain.py::test_keyset_pages_use_the_created_at_id_index",),
            "express": (
                "test/optimize/explain.test.ts::reads every page through the (created_at, id) index",
                "test/optimize/explain.test.ts::reads one author's pages through the (author_id, created_at, id) index",
            ),
        },
    ),
    Practice(
        id="http-conditional-requests",
        title="Weak ETags on every 200 GET under /api/v1; a matching If-None-Match gets 304 without a body",
        task="optimize",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/optimize/middleware.py::ETagMiddleware",
                f"{FASTAPI_SRC}/optimize/middleware.py::etag_of",
            ),
            "express": (
                "src/optimize/middleware.ts::etags",
                "src/optimize/middleware.ts::etagOf",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/optimize/test_http_caching.py::test_a_post_with_a_matching_etag_is_a_304_without_body",
                "tests/optimize/test_http_caching.py::test_a_changed_post_gets_a_new_etag",
                "tests/optimize/test_http_caching.py::test_a_list_with_a_matching_etag_is_a_304",
            ),
            "express": (
                "test/optimize/http-caching.test.ts::answers a post with a matching If-None-Match with 304 and no body",
                "test/optimize/http-caching.test.ts::gives a changed post a new ETag",
                "test/optimize/http-caching.test.ts::answers a list with a matching If-None-Match with 304",
            ),
        },
    ),
    Practice(
        id="response-compression",
        title="Responses of 1 KiB or more gzip-compressed for clients that accept it, smaller ones sent as they are",
        task="optimize",
        sources=(OPERATIONS,),
        evidence={
            "fastapi": (f"{FASTAPI_SRC}/app.py::GZipMiddleware, minimum_size=1024",),
            "express": (
                "src/app.ts::compressAccepted(GZIP_MINIMUM_BYTES)",
                "src/app.ts::GZIP_MINIMUM_BYTES = 1024",
                "src/optimize/middleware.ts::compression({{ threshold: thresholdBytes }})",
            ),
        },
        verified_by={
            "fastapi": (
                "tests/optimize/test_http_caching.py::test_a_large_list_is_compressed_when_the_client_accepts_it",
            ),
            "express": (
                "test/optimize/http-caching.test.ts::gzips a large list for a client that accepts it, not a small one",
                "test/optimize/http-caching.test.ts::sends a large list as it is when no encoding is accepted",
            ),
        },
    ),
    Practice(
        id="slow-query-log",
        title="SQL statements slower than SLOW_QUERY_MS logged as one JSON line, "
        "with their text but never their parameters",
        task="optimize",
        sources=(OPERATIONS, SECURITY),
        evidence={
            "fastapi": (
                f"{FASTAPI_SRC}/optimize/queries.py::instrument_engine",
                f"{FASTAPI_SRC}/optimize/config.py::slow_query_ms",
            ),
            "express": (
                "src/optimize/queries.ts::instrumentPool",
                "src/config.ts::SLOW_QUERY_MS",
            ),
        },
        verified_by={
            "fastapi": ("tests/optimize/test_query_budget.py::test_slow_statements_are_logged_without_parameters",),
            "express": (
                (
                    "test/optimize/query-budget.test.ts::"
                    "logs slow statements with their text and duration, never their parameters"
                ),
            ),
        },
    ),
)


def manifest_entries(*, framework: str, package: str, tasks: list[str]) -> list[dict[str, object]]:
    """The manifest for one render, in catalogue order (so byte-identical for equal answers)."""
    chosen = set(tasks)
    return [
        {
            "id": practice.id,
            "title": practice.title,
            "task": practice.task,
            "sources": list(practice.sources),
            "evidence": [claim.format(package=package) for claim in practice.evidence[framework]],
            "verified_by": [claim.format(package=package) for claim in practice.verified_by[framework]],
        }
        for practice in CATALOGUE
        if practice.task in chosen and framework in practice.evidence
    ]
