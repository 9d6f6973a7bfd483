/* tui: the two front ends of the what-if TUI. tui_terminal() runs it on
 * the terminal with curses (term.c, the only file that includes curses);
 * tui_script() feeds it keys from a script and draws into a virtual
 * screen that it dumps as text (script.c), for tests and for people who
 * want a screen in a file. Both return the process exit status. */
#ifndef COSTCAP_TUI_TUI_H
#define COSTCAP_TUI_TUI_H

#include <stdbool.h>
#include <stddef.h>

struct tui_opts {
	const char *plan;		/* NULL: the built-in example */
	const char *const *sets;	/* --set assignments */
	size_t nsets;
	double scale;			/* --scale, NAN when not given */
	bool color;			/* false: monochrome (NO_COLOR, --no-color) */
	bool utf8;			/* the locale is UTF-8: draw Unicode glyphs */
	/* scripted mode */
	const char *keys;		/* key script text (from --keys FILE or COSTCAP_TUI_KEYS) */
	const char *keys_name;		/* its name in messages */
	const char *dump;		/* file for the final screen ("-": standard output) */
	int width, height;		/* virtual screen size */
};

/* Runs the TUI on the controlling terminal (standard input and output).
 * Restores the terminal on every way out: quit, errors, SIGINT, SIGTERM
 * and SIGHUP (after which the signal is raised again). */
int tui_terminal(const struct tui_opts *o);

/* Runs the TUI on a virtual screen of o->width x o->height, feeding it
 * the keys of o->keys, simulating synchronously after each key. Key
 * script syntax (docs/tui.md): characters stand for themselves; <Name>
 * names a key (<Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home> <End>
 * <Enter> <Esc> <Tab> <BTab> <BS> <Del> <F1> <Space> <lt> <C-x>);
 * <Resize WxH> resizes the screen; <Dump FILE> writes the screen to FILE;
 * newlines are ignored and lines starting with '#' are comments. At the
 * end (or on q) the screen is written to o->dump. */
int tui_script(const struct tui_opts *o);

#endif
