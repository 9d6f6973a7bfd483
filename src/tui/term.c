/* term: the TUI on a real terminal, with curses (the only file of
 * costcap that includes it). One loop waits on the keyboard, the signal
 * pipe and the workers: simulations run on a worker thread, advice on
 * another, so the screen stays responsive while a long trace is replayed
 * or advice is computed; the title bar shows that work is in progress. The terminal is restored on quit,
 * on errors (util_fatal_hook) and on SIGINT, SIGTERM and SIGHUP. */
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "../cmd.h"
#include "../core/util.h"
#include "app.h"
#include "canvas.h"
#include "draw.h"

static volatile sig_atomic_t got_signal;
static int sig_pipe[2] = {-1, -1};
static int curses_on;
/* An app left to a simulation still running at quit: the worker borrows
 * it until the process ends. */
static struct app *volatile abandoned;
/* The worker is static for the same reason. */
static struct worker_state {
	pthread_t th;
	struct app_job *job;
	int done_pipe[2];
	bool running;
} worker;
/* The advice worker: advice jobs (the advice screen) on a thread of their
 * own, so that a simulation of the next change never waits for advice. */
static struct advice_worker_state {
	pthread_t th;
	struct app_advice_job *job;
	int done_pipe[2];
	bool running;
} advice_worker;

static void end_curses(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

static void on_signal(int sig)
{
	int saved = errno;
	char b = 's';

	got_signal = sig;
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], &b, 1) < 0) {
		/* Nothing to do: the flag is set. */
	}
	errno = saved;
}

static int make_pipe(int fds[2])
{
	int i;

	if (pipe(fds) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

/* ---- looks --------------------------------------------------------------- */

static attr_t look_attr[CA_COUNT];
static short look_pair[CA_COUNT];

static void set_looks(bool color)
{
	int i;

	for (i = 0; i < CA_COUNT; i++) {
		look_attr[i] = A_NORMAL;
		look_pair[i] = 0;
	}
	if (color && has_colors() && start_color() == OK) {
		short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;

		init_pair(1, COLOR_BLACK, COLOR_CYAN);
		init_pair(2, COLOR_GREEN, bg);
		init_pair(3, COLOR_RED, bg);
		init_pair(4, COLOR_YELLOW, bg);
		init_pair(5, COLOR_MAGENTA, bg);
		init_pair(6, COLOR_WHITE, COLOR_RED);
		init_pair(7, COLOR_CYAN, bg);
		look_pair[CA_TITLE] = 1;
		look_attr[CA_TITLE] = A_BOLD;
		look_attr[CA_HEADER] = A_BOLD;
		look_pair[CA_SELECTED] = 1;
		look_attr[CA_DIM] = A_DIM;
		look_pair[CA_GOOD] = 2;
		look_pair[CA_BAD] = 3;
		look_attr[CA_BAD] = A_BOLD;
		look_pair[CA_WARN] = 4;
		look_pair[CA_CHANGED] = 5;
		look_attr[CA_CHANGED] = A_BOLD;
		look_pair[CA_KEY] = 1;
		look_pair[CA_BAR] = 2;
		look_pair[CA_BAR_BAD] = 3;
		look_pair[CA_LINE] = 4;
		look_attr[CA_LINE] = A_BOLD;
		look_pair[CA_ERROR] = 6;
		look_attr[CA_ERROR] = A_BOLD;
		look_pair[CA_INPUT] = 7;
		look_attr[CA_INPUT] = A_BOLD;
		return;
	}
	/* Monochrome: the glyphs tell chart series apart; attributes mark
	 * the rest. */
	look_attr[CA_TITLE] = A_REVERSE | A_BOLD;
	look_attr[CA_HEADER] = A_BOLD;
	look_attr[CA_SELECTED] = A_REVERSE;
	look_attr[CA_DIM] = A_DIM;
	look_attr[CA_BAD] = A_BOLD;
	look_attr[CA_WARN] = A_BOLD;
	look_attr[CA_CHANGED] = A_BOLD | A_UNDERLINE;
	look_attr[CA_KEY] = A_REVERSE;
	look_attr[CA_LINE] = A_BOLD;
	look_attr[CA_ERROR] = A_REVERSE | A_BOLD;
	look_attr[CA_INPUT] = A_UNDERLINE;
}

static void blit(const struct canvas *c)
{
	int x, y;

	for (y = 0; y < c->h && y < LINES; y++)
		for (x = 0; x < c->w && x < COLS; x++) {
			const struct cell *cl = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
			wchar_t wc[2] = {(wchar_t)cl->ch, 0};
			cchar_t cc;

			setcchar(&cc, wc, look_attr[cl->attr], look_pair[cl->attr], NULL);
			mvadd_wch(y, x, &cc);
		}
	wnoutrefresh(stdscr);
	doupdate();
}

static int translate(int kind, wint_t wc)
{
	if (kind == KEY_CODE_YES) {
		switch (wc) {
		case KEY_UP:
			return AK_UP;
		case KEY_DOWN:
			return AK_DOWN;
		case KEY_LEFT:
			return AK_LEFT;
		case KEY_RIGHT:
			return AK_RIGHT;
		case KEY_PPAGE:
			return AK_PGUP;
		case KEY_NPAGE:
			return AK_PGDN;
		case KEY_HOME:
			return AK_HOME;
		case KEY_END:
			return AK_END;
		case KEY_BTAB:
			return AK_BTAB;
		case KEY_BACKSPACE:
			return AK_BACKSPACE;
		case KEY_DC:
			return AK_DELETE;
		case KEY_F(1):
			return AK_F1;
		case KEY_ENTER:
			return '\n';
		case KEY_RESIZE:
			return AK_RESIZE;
		default:
			return 0;
		}
	}
	return (int)wc;
}

/* ---- the worker ------------------------------------------------------------ */

static void *work(void *arg)
{
	struct worker_state *w = arg;
	char b = 'd';

	app_job_run(w->job);
	if (write(w->done_pipe[1], &b, 1) < 0) {
		/* The main loop also polls with a timeout while busy. */
	}
	return NULL;
}

static bool start_job(struct worker_state *w, struct app *a)
{
	if (w->running || !(w->job = app_job_take(a)))
		return false;
	/* Signals go to the main thread only. */
	if (util_thread_start(&w->th, work, w) != 0) {
		/* No thread: simulate here instead. */
		app_job_run(w->job);
		app_job_done(a, w->job);
		w->job = NULL;
		return true;
	}
	w->running = true;
	return true;
}

static void *advice_work(void *arg)
{
	struct advice_worker_state *w = arg;
	char b = 'd';

	app_advice_job_run(w->job);
	if (write(w->done_pipe[1], &b, 1) < 0) {
		/* The main loop also polls with a timeout while busy. */
	}
	return NULL;
}

static void start_advice_job(struct advice_worker_state *w, struct app *a)
{
	if (w->running || !(w->job = app_advice_job_take(a)))
		return;
	if (util_thread_start(&w->th, advice_work, w) != 0) {
		app_advice_job_run(w->job);
		app_advice_job_done(a, w->job);
		w->job = NULL;
		return;
	}
	w->running = true;
}

/* ---- the loop --------------------------------------------------------------- */

int tui_terminal(const struct tui_opts *o)
{
	struct app_opts ao = {o->plan, o->sets, o->nsets, o->scale};
	struct err e = {0};
	struct app *a;
	struct canvas *c;
	struct worker_state *wp = &worker;
	struct advice_worker_state *ap = &advice_worker;
	struct sigaction sa;
	SCREEN *scr;
	unsigned f = APP_REDRAW;
	int sig = 0;
	size_t i;
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};

	memset(wp, 0, sizeof *wp);
	memset(ap, 0, sizeof *ap);
	if (app_new(&ao, &a, &e) < 0)
		return cmd_print_errors(&e);
	a->show_timing = true;
	if (make_pipe(sig_pipe) < 0 || make_pipe(wp->done_pipe) < 0 || make_pipe(ap->done_pipe) < 0) {
		fprintf(stderr, "costcap: cannot create a pipe: %s\n", strerror(errno));
		app_free(a);
		return 3;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	util_fatal_hook = end_curses;
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *t = getenv("TERM");

		fprintf(stderr, "costcap: cannot use the terminal (TERM=%s); for a report, run "
			"'costcap report'\n", t ? t : "(unset)");
		app_free(a);
		return 2;
	}
	{
		/* A terminal without cursor addressing (TERM=dumb) would get an
		 * unusable screen: refused like an unknown one. */
		char *cup = tigetstr("cup");

		if (!cup || cup == (char *)-1) {
			const char *t = getenv("TERM");

			endwin();
			delscreen(scr);
			fprintf(stderr, "costcap: the terminal cannot move its cursor (TERM=%s); the "
				"TUI needs one that can. For a report, run 'costcap report'\n",
				t ? t : "(unset)");
			app_free(a);
			return 2;
		}
	}
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	set_looks(o->color);
	c = canvas_new(COLS, LINES, o->utf8);
	start_job(wp, a);
	for (;;) {
		struct pollfd pf[4];
		wint_t wc;
		int kind;

		if (got_signal) {
			sig = got_signal;
			break;
		}
		if (f & APP_QUIT)
			break;
		if (f & APP_SIMULATE || !wp->running)
			start_job(wp, a);
		if (f & APP_ADVISE || !ap->running)
			start_advice_job(ap, a);
		if (f & APP_CLEAR)
			clearok(curscr, TRUE);
		if (f & (APP_REDRAW | APP_CLEAR)) {
			draw_app(c, a);
			blit(c);
		}
		f = 0;
		pf[0].fd = 0;
		pf[0].events = POLLIN;
		pf[1].fd = sig_pipe[0];
		pf[1].events = POLLIN;
		pf[2].fd = wp->done_pipe[0];
		pf[2].events = POLLIN;
		pf[3].fd = ap->done_pipe[0];
		pf[3].events = POLLIN;
		pf[0].revents = pf[1].revents = pf[2].revents = pf[3].revents = 0;
		/* While a simulation or advice runs, wake every 200 ms to show it. */
		if (poll(pf, 4, wp->running || ap->running ? 200 : -1) == 0 &&
		    (wp->running || ap->running))
			f |= APP_REDRAW;
		if (pf[1].revents & POLLIN) {
			char b[16];

			while (read(sig_pipe[0], b, sizeof b) > 0)
				;
		}
		if (pf[2].revents & POLLIN) {
			char b[16];

			while (read(wp->done_pipe[0], b, sizeof b) > 0)
				;
			if (wp->running) {
				pthread_join(wp->th, NULL);
				wp->running = false;
				f |= app_job_done(a, wp->job);
				wp->job = NULL;
			}
		}
		if (pf[3].revents & POLLIN) {
			char b[16];

			while (read(ap->done_pipe[0], b, sizeof b) > 0)
				;
			if (ap->running) {
				pthread_join(ap->th, NULL);
				ap->running = false;
				f |= app_advice_job_done(a, ap->job);
				ap->job = NULL;
			}
		}
		while ((kind = wget_wch(stdscr, &wc)) != ERR) {
			int key = translate(kind, wc);

			if (key == AK_RESIZE) {
				canvas_resize(c, COLS, LINES);
				f |= APP_REDRAW | APP_CLEAR;
			}
			if (key)
				f |= app_key(a, key);
			if (f & APP_QUIT)
				break;
		}
	}
	end_curses();
	delscreen(scr);
	util_fatal_hook = NULL;
	canvas_free(c);
	if (sig) {
		/* Die of the signal, as the shell expects, terminal restored. */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	/* A job still running borrows the app (and writes to its pipe): both
	 * are left to it until the process ends. */
	if (wp->running)
		pthread_detach(wp->th);
	if (ap->running)
		pthread_detach(ap->th);
	if (wp->running || ap->running)
		abandoned = a;
	else
		app_free(a);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	if (!wp->running) {
		close(wp->done_pipe[0]);
		close(wp->done_pipe[1]);
	}
	if (!ap->running) {
		close(ap->done_pipe[0]);
		close(ap->done_pipe[1]);
	}
	return 0;
}
