/* The AWS worked examples of reference/examples.yaml that concern prices,
 * each expressed as a plan under tests/plans/examples/ and reproduced to
 * the cent, line item by line item as AWS prints them. The expected
 * figures are copied from the published examples (cited per test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#define EX "tests/plans/examples/"

/* lambda-ex1-mobile-backend: 3M x 120 ms x 1,536 MB = 540,000 GB-s;
 * minus 400,000 free = 140,000 x $0.0000166667 = $2.33; requests
 * (3M - 1M free) x $0.20/M = $0.40; total $2.73. */
static void lambda_ex1(void **state)
{
	struct plan *p;
	struct bill *b = tu_price(EX "lambda-ex1-mobile-backend.yaml", &p);
	const struct line_item *dur = tu_item(b, "mobile-backend", "duration");
	const struct line_item *fdur = tu_item(b, "mobile-backend", "free_tier_duration");
	const struct line_item *req = tu_item(b, "mobile-backend", "requests");
	const struct line_item *freq = tu_item(b, "mobile-backend", "free_tier_requests");

	(void)state;
	assert_close(dur->quantity, 540000, 1e-12);
	assert_close(dur->quantity + fdur->quantity, 140000, 1e-12);
	assert_cents(dur->monthly_cost + fdur->monthly_cost, 233);
	assert_close(req->quantity + freq->quantity, 2000000, 1e-12);
	assert_cents(req->monthly_cost + freq->monthly_cost, 40);
	assert_cents(b->total, 273);
	assert_cents(b->service[SVC_LAMBDA], 273);
	bill_free(b);
	plan_free(p);
}

/* lambda-ex3-bert-ephemeral-storage: 6M x 280 ms = 1,680,000 s x 4 GB =
 * 6,720,000 GB-s, minus 400,000 free = 6,320,000 -> $105.33; requests
 * 5M billable -> $1.00; ephemeral (2,048 - 512) MB = 1.5 GB x 1,680,000 s
 * = 2,520,000 GB-s x $0.0000000309 -> $0.08; total $106.41. */
static void lambda_ex3(void **state)
{
	struct plan *p;
	struct bill *b = tu_price(EX "lambda-ex3-bert-ephemeral.yaml", &p);
	const char *f = "bert-inference";

	(void)state;
	assert_close(tu_item(b, f, "duration")->quantity, 6720000, 1e-12);
	assert_cents(tu_item(b, f, "duration")->monthly_cost +
		     tu_item(b, f, "free_tier_duration")->monthly_cost, 10533);
	assert_cents(tu_item(b, f, "requests")->monthly_cost +
		     tu_item(b, f, "free_tier_requests")->monthly_cost, 100);
	assert_close(tu_item(b, f, "ephemeral_storage")->quantity, 2520000, 1e-12);
	assert_cents(tu_item(b, f, "ephemeral_storage")->monthly_cost, 8);
	assert_cents(b->total, 10641);
	bill_free(b);
	plan_free(p);
}

/* lambda-pc-ex1-mobile-launch: PC 100 x 1.5 GB x 28,800 s = 4,320,000
 * GB-s x $0.0000041667 = $18.00; PC duration 500,000 x 0.1 s x 1.5 GB =
 * 75,000 GB-s x $0.0000097222 = $0.73; on-demand 2.5M x 0.12 s x 1.5 GB =
 * 450,000 GB-s minus 400,000 free = 50,000 x $0.0000166667 = $0.83;
 * requests 3M - 1M free = 2M x $0.20/M = $0.40; total $19.96. */
static void lambda_pc_ex1(void **state)
{
	struct plan *p;
	struct bill *b = tu_price(EX "lambda-pc-ex1-mobile-launch.yaml", &p);
	double req;

	(void)state;
	assert_close(tu_item(b, "launch", "provisioned_concurrency")->quantity, 4320000, 1e-12);
	assert_cents(tu_item(b, "launch", "provisioned_concurrency")->monthly_cost, 1800);
	assert_close(tu_item(b, "launch", "provisioned_duration")->quantity, 75000, 1e-12);
	assert_cents(tu_item(b, "launch", "provisioned_duration")->monthly_cost, 73);
	assert_false(tu_has_item(b, "launch", "duration"));
	assert_close(tu_item(b, "steady", "duration")->quantity, 450000, 1e-12);
	assert_cents(tu_item(b, "steady", "duration")->monthly_cost +
		     tu_item(b, "steady", "free_tier_duration")->monthly_cost, 83);
	req = tu_item(b, "launch", "requests")->monthly_cost +
	      tu_item(b, "launch", "free_tier_requests")->monthly_cost +
	      tu_item(b, "steady", "requests")->monthly_cost +
	      tu_item(b, "steady", "free_tier_requests")->monthly_cost;
	assert_cents(req, 40);
	assert_int_equal(bill_find(b, "launch")->requests, 500000);
	assert_cents(b->total, 1996);
	bill_free(b);
	plan_free(p);
}

/* apigw-http-ex1-web-app: 432M requests: 300M x $1.00 + 132M x $0.90 =
 * $418.80, effective $0.97 per million. */
static void apigw_http_ex1(void **state)
{
	struct plan *p;
	struct bill *b = tu_price(EX "apigw-http-ex1-web-app.yaml", &p);
	const struct line_item *r = tu_item(b, "web-app", "requests");

	(void)state;
	assert_close(r->quantity, 432000000, 1e-12);
	assert_cents(r->monthly_cost, 41880);
	assert_cents(r->unit_price * 1e6, 97);
	assert_false(tu_has_item(b, "web-app", "data_transfer_out"));
	assert_cents(b->total, 41880);
	bill_free(b);
	plan_free(p);
}

/* apigw-rest-ex1-5m: 5M x $3.50/M = $17.50; 5M x 3 KB = 15,000,000 KB /
 * 1,048,576 = 14.305 GB x $0.09 = $1.29; total $18.79. */
static void apigw_rest_ex1(void **state)
{
	struct plan *p;
	struct bill *b = tu_price(EX "apigw-rest-ex1-5m.yaml", &p);

	(void)state;
	assert_cents(tu_item(b, "rest-5m", "requests")->monthly_cost, 1750);
	assert_close(tu_item(b, "rest-5m", "data_transfer_out")->quantity, 15000000.0 / 1048576.0, 1e-12);
	assert_cents(tu_item(b, "rest-5m", "data_transfer_out")->monthly_cost, 129);
	assert_cents(b->total, 1879);
	bill_free(b);
	plan_free(p);
}

/* apigw-websocket-chat: 18M messages x $1.00/M = $18.00; 21.6M connection
 * minutes x $0.25/M = $5.40; total $23.40. */
static void apigw_websocket_chat(void **state)
{
	struct plan *p;
	struct bill *b = tu_price(EX "apigw-websocket-chat.yaml", &p);

	(void)state;
	assert_close(tu_item(b, "chat", "messages")->quantity, 18000000, 1e-12);
	assert_cents(tu_item(b, "chat", "messages")->monthly_cost, 1800);
	assert_close(tu_item(b, "chat", "connection_minutes")->quantity, 21600000, 1e-12);
	assert_cents(tu_item(b, "chat", "connection_minutes")->monthly_cost, 540);
	assert_cents(b->total, 2340);
	bill_free(b);
	plan_free(p);
}

/* The chat example with 33 KB messages from clients and 65 KB messages to
 * them: each way metered in 32 KB steps, 3M x ceil(33/32) = 6M plus 15M x
 * ceil(65/32) = 45M, 51M x $1.00/M = $51.00. Data transfer out counts only
 * the messages to clients: 15M x 65 KB / 1024^2 = 929.8325 GB x $0.09 =
 * $83.68 (what clients send comes in, and is free). */
static void websocket_message_sizes(void **state)
{
	const char *sizes[] = {"apis.chat.request_kb=33", "apis.chat.response_kb=65"};
	struct plan *p;
	struct bill *b = tu_price_sets(EX "apigw-websocket-chat.yaml", sizes, 2, &p);

	(void)state;
	assert_close(tu_item(b, "chat", "messages")->quantity, 51000000, 1e-12);
	assert_cents(tu_item(b, "chat", "messages")->monthly_cost, 5100);
	assert_close(tu_item(b, "chat", "data_transfer_out")->quantity, 15e6 * 65 / 1048576.0, 1e-12);
	assert_cents(tu_item(b, "chat", "data_transfer_out")->monthly_cost, 8368);
	bill_free(b);
	plan_free(p);
}

/* Always-on PC over a 1,000-s trace projects to a whole month: 10 x 1 GB x
 * 2,628,000 s = 26,280,000 GB-s = $109.50 (tests/plans/examples/pc-window.yaml). */
static void pc_window_cut(void **state)
{
	struct plan *p;
	struct bill *b = tu_price(EX "pc-window.yaml", &p);

	(void)state;
	assert_close(tu_item(b, "a", "provisioned_concurrency")->quantity, 26280000, 1e-12);
	assert_cents(tu_item(b, "a", "provisioned_concurrency")->monthly_cost, 10950);
	bill_free(b);
	plan_free(p);
}

/* Daily schedules on a trace that starts at 08:00 UTC follow the clock
 * (tests/plans/examples/clock-08.yaml has the hand figures). */
static void daily_follows_trace_clock(void **state)
{
	struct plan *p;
	struct usage *u;
	struct bill *b;

	(void)state;
	tu_simulate(EX "clock-08.yaml", NULL, 0, false, &p, &u);
	assert_int_equal(u->fn[0].offered, 10800);
	assert_int_equal(u->fn[1].offered, 3600);
	assert_int_equal(u->fn[2].offered, 3600);
	b = bill_price(p, u);
	assert_close(tu_item(b, "fc", "provisioned_concurrency")->quantity, 109500, 1e-12);
	bill_free(b);
	usage_free(u);
	plan_free(p);
}

/* hours_per_month on a one-day trace: 947 requests in the day, 28,804.6 a
 * month (tests/plans/examples/hours-month-1d.yaml has the hand figures). */
static void hours_per_month_on_a_trace(void **state)
{
	struct plan *p;
	struct bill *b = tu_price(EX "hours-month-1d.yaml", &p);

	(void)state;
	assert_int_equal(b->res[1].requests, 947);
	assert_close(tu_item(b, "batch", "requests")->quantity, 947 * 2628000.0 / 86400, 1e-12);
	bill_free(b);
	plan_free(p);
}

/* PC from second 0 of a rate-only month is rounded like any other period:
 * 285,000 GB-s (tests/plans/examples/pc-from-midnight.yaml), as from 1h. */
static void pc_from_midnight(void **state)
{
	const char *later[] = {"functions.a.provisioned_concurrency.window=1h-8.9h"};
	struct plan *p;
	struct bill *b = tu_price(EX "pc-from-midnight.yaml", &p);

	(void)state;
	assert_close(tu_item(b, "a", "provisioned_concurrency")->quantity, 285000, 1e-12);
	bill_free(b);
	plan_free(p);
	b = tu_price_sets(EX "pc-from-midnight.yaml", later, 1, &p);
	assert_close(tu_item(b, "a", "provisioned_concurrency")->quantity, 285000, 1e-12);
	bill_free(b);
	plan_free(p);
}

/* Free tiers: the hand computation is in tests/plans/examples/free-tier.yaml. */
static void free_tiers(void **state)
{
	const char *none[] = {"account.free_tier=none"}, *always[] = {"account.free_tier=always"};
	struct plan *p;
	struct bill *b;

	(void)state;
	b = tu_price_sets(EX "free-tier.yaml", none, 1, &p);
	assert_cents(b->total, 4922);
	bill_free(b);
	plan_free(p);
	b = tu_price_sets(EX "free-tier.yaml", always, 1, &p);
	assert_close(b->total, 28.735, 1e-9);
	assert_close(tu_item(b, "items", "free_tier_read_capacity")->monthly_cost, -2.3725, 1e-9);
	assert_close(tu_item(b, "items", "free_tier_write_capacity")->monthly_cost, -11.8625, 1e-9);
	assert_close(tu_item(b, "items", "free_tier_storage")->monthly_cost, -6.25, 1e-9);
	assert_false(tu_has_item(b, "rest", "free_tier_requests"));
	bill_free(b);
	plan_free(p);
	b = tu_price(EX "free-tier.yaml", &p);
	assert_close(b->total, 23.5475, 1e-9);
	assert_close(tu_item(b, "rest", "free_tier_requests")->monthly_cost, -3.5, 1e-9);
	assert_close(tu_item(b, "http", "free_tier_requests")->monthly_cost, -1.0, 1e-9);
	assert_close(tu_item(b, "ws", "free_tier_messages")->monthly_cost, -0.5, 1e-9);
	assert_close(tu_item(b, "ws", "free_tier_connection_minutes")->monthly_cost, -0.1875, 1e-9);
	assert_close(b->service[SVC_APIGATEWAY], 7.0 + 1.0 + 0.0625, 1e-9);
	bill_free(b);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lambda_ex1),
		cmocka_unit_test(lambda_ex3),
		cmocka_unit_test(lambda_pc_ex1),
		cmocka_unit_test(apigw_http_ex1),
		cmocka_unit_test(apigw_rest_ex1),
		cmocka_unit_test(apigw_websocket_chat),
		cmocka_unit_test(websocket_message_sizes),
		cmocka_unit_test(pc_window_cut),
		cmocka_unit_test(daily_follows_trace_clock),
		cmocka_unit_test(hours_per_month_on_a_trace),
		cmocka_unit_test(pc_from_midnight),
		cmocka_unit_test(free_tiers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
