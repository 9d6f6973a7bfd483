/* script: the TUI's scripted mode (tig-style): keys from a script, a
 * virtual screen, a text dump. No terminal and no curses involved, so
 * golden tests run the real program anywhere. */
#include "tui.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../cmd.h"
#include "../core/util.h"
#include "../io/atomic.h"
#include "app.h"
#include "canvas.h"
#include "draw.h"

/* Reads one key from the script at *p. Returns the key, 0 at the end,
 * -1 for <Resize>/<Dump> (with 'cmd' and 'arg' set), or -2 on a bad token
 * (with 'arg' holding it). */
static int next_key(const char **pp, int *line, char *cmd, size_t cmdlen, char *arg,
		    size_t arglen)
{
	static const struct {
		const char *name;
		int key;
	} names[] = {
		{"Up", AK_UP}, {"Down", AK_DOWN}, {"Left", AK_LEFT}, {"Right", AK_RIGHT},
		{"PgUp", AK_PGUP}, {"PgDn", AK_PGDN}, {"Home", AK_HOME}, {"End", AK_END},
		{"Enter", '\n'}, {"Esc", AK_ESC}, {"Tab", '\t'}, {"BTab", AK_BTAB},
		{"BS", AK_BACKSPACE}, {"Del", AK_DELETE}, {"F1", AK_F1}, {"Space", ' '},
		{"lt", '<'},
	};
	const char *p = *pp;
	const unsigned char *u;
	size_t i;

	for (;;) {
		if (*p == '\n') {
			(*line)++;
			p++;
			if (*p == '#') {
				while (*p && *p != '\n')
					p++;
			}
			continue;
		}
		if (*p == '\r') {
			p++;
			continue;
		}
		break;
	}
	if (!*p) {
		*pp = p;
		return 0;
	}
	if (*p == '<') {
		const char *end = strchr(p, '>');
		size_t n;

		if (!end || end - p > 300) {
			snprintf(arg, arglen, "%.20s", p);
			return -2;
		}
		n = (size_t)(end - p - 1);
		*pp = end + 1;
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strlen(names[i].name) == n && strncasecmp(p + 1, names[i].name, n) == 0)
				return names[i].key;
		if (n == 3 && (p[1] == 'C' || p[1] == 'c') && p[2] == '-' && isalpha((unsigned char)p[3]))
			return AK_CTRL(tolower((unsigned char)p[3]));
		if (n > 7 && strncasecmp(p + 1, "Resize ", 7) == 0) {
			snprintf(cmd, cmdlen, "resize");
			snprintf(arg, arglen, "%.*s", (int)(n - 7), p + 8);
			return -1;
		}
		if (n > 5 && strncasecmp(p + 1, "Dump ", 5) == 0) {
			snprintf(cmd, cmdlen, "dump");
			snprintf(arg, arglen, "%.*s", (int)(n - 5), p + 6);
			return -1;
		}
		snprintf(arg, arglen, "%.*s", (int)(n + 2), p);
		return -2;
	}
	/* One UTF-8 character. */
	u = (const unsigned char *)p;
	if (u[0] < 0x80) {
		*pp = p + 1;
		return u[0];
	}
	{
		int len = (u[0] & 0xe0) == 0xc0 ? 2 : (u[0] & 0xf0) == 0xe0 ? 3 : 4, cp, k;

		cp = u[0] & (0x7f >> len);
		for (k = 1; k < len && (u[k] & 0xc0) == 0x80; k++)
			cp = cp << 6 | (u[k] & 0x3f);
		*pp = p + k;
		return cp;
	}
}

static int dump_to(const struct canvas *c, const char *path)
{
	struct sbuf out = {0};
	struct err e = {0};
	int rc;

	canvas_dump(c, &out);
	rc = atomic_write(path, out.buf ? out.buf : "", out.len, &e);
	sbuf_free(&out);
	if (rc < 0) {
		char *m = err_format(&e, 0);

		fprintf(stderr, "costcap: %s\n", m);
		free(m);
		err_clear(&e);
	}
	return rc;
}

int tui_script(const struct tui_opts *o)
{
	struct app_opts ao = {o->plan, o->sets, o->nsets, o->scale};
	struct err e = {0};
	struct app *a;
	struct canvas *c;
	char *script;
	const char *p;
	int line = 0, rc = 0;

	if (app_new(&ao, &a, &e) < 0)
		return cmd_print_errors(&e);
	/* Timings change from run to run, so screens for tests leave them
	 * out; COSTCAP_TUI_TIMING=1 shows them (the bench reads them). */
	a->show_timing = getenv("COSTCAP_TUI_TIMING") && strcmp(getenv("COSTCAP_TUI_TIMING"), "1") == 0;
	/* A newline first, so that a comment may open the script. */
	script = xasprintf("\n%s", o->keys ? o->keys : "");
	p = script;
	c = canvas_new(o->width, o->height, o->utf8);
	app_settle(a);
	draw_app(c, a);
	for (;;) {
		char cmd[16], arg[320];
		int key = next_key(&p, &line, cmd, sizeof cmd, arg, sizeof arg);
		unsigned f;

		if (key == 0)
			break;
		if (key == -2) {
			fprintf(stderr, "costcap: %s:%d: unknown key '%s' (see docs/tui.md)\n",
				o->keys_name ? o->keys_name : "keys", line, arg);
			rc = 2;
			break;
		}
		if (key == -1) {
			if (strcmp(cmd, "resize") == 0) {
				int w, h;

				if (sscanf(arg, "%dx%d", &w, &h) != 2 || w < 1 || h < 1 || w > 1000 || h > 1000) {
					fprintf(stderr, "costcap: %s:%d: <Resize WxH> expects a size like 80x24, "
						"found '%s'\n", o->keys_name ? o->keys_name : "keys", line, arg);
					rc = 2;
					break;
				}
				canvas_resize(c, w, h);
				app_key(a, AK_RESIZE);
			} else if (dump_to(c, arg) < 0) {
				rc = 2;
				break;
			}
			draw_app(c, a);
			continue;
		}
		f = app_key(a, key);
		if (f & APP_SIMULATE)
			app_settle(a);
		/* Advice after the figures: the screen is never left half done. */
		if (f & APP_ADVISE)
			app_advice_settle(a);
		draw_app(c, a);
		if (f & APP_QUIT)
			break;
	}
	if (rc == 0 && o->dump && dump_to(c, o->dump) < 0)
		rc = 2;
	canvas_free(c);
	app_free(a);
	free(script);
	return rc;
}
