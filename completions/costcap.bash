# bash completion for costcap                                -*- shell-script -*-
#
# Installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/costcap; or source it from
# ~/.bashrc. Options are read from `costcap COMMAND --help`, so they follow
# the binary; values are completed where they come from a fixed list
# (formats, services, trace shapes) or from files (plans, traces, outputs).

_costcap_options()
{
	# Every --option named in the help of the given (sub)command.
	"${COMP_WORDS[0]}" "$@" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}

_costcap()
{
	local cur prev cmd sub i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}

	# The command: the first word after costcap that is not an option.
	cmd= sub=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=${COMP_WORDS[i]}
			elif [[ -z $sub && ( $cmd == trace || $cmd == models ) ]]; then
				sub=${COMP_WORDS[i]}
			fi
			;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W 'report check diff sim advise trace models tui help' -- "$cur"))
		fi
		return
	fi

	# Values of options.
	case $prev in
	--format)
		case $cmd in
		report) COMPREPLY=($(compgen -W 'text md html json csv' -- "$cur")) ;;
		check | diff) COMPREPLY=($(compgen -W 'text json junit github md' -- "$cur")) ;;
		sim) COMPREPLY=($(compgen -W 'csv' -- "$cur")) ;;
		esac
		return
		;;
	-o | --output)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--trace | --base-trace | --head-trace)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur") $(compgen -d -- "$cur"))
		return
		;;
	--service-budget)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W 'lambda= apigateway= dynamodb=' -- "$cur"))
		return
		;;
	--shape)
		COMPREPLY=($(compgen -W 'flat diurnal weekly spike' -- "$cur"))
		return
		;;
	--from)
		COMPREPLY=($(compgen -W 'azure-functions-2019 events' -- "$cur"))
		return
		;;
	--budget | --resource-budget | --max-throttle | --warn-at | --fail-above-usd | \
	--fail-above-pct | --set | --base-set | --head-set | --scale | --base-scale | \
	--head-scale | --seed | --step | --series | --resolution | --rate | --streams | \
	--days | --duration | --start)
		return		# a value only the user knows
		;;
	esac

	case $cmd in
	help)
		COMPREPLY=($(compgen -W 'report check diff sim advise trace models tui' -- "$cur"))
		return
		;;
	models)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W 'show --help' -- "$cur"))
		elif [[ $sub == show ]]; then
			COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" models 2>/dev/null |
				awk '/^[^ ]/ {print $1}')" -- "$cur"))
		fi
		return
		;;
	trace)
		if [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W 'show gen import convert --help' -- "$cur"))
			return
		fi
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$(_costcap_options trace "$sub")" -- "$cur"))
		else
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_costcap_options "$cmd")" -- "$cur"))
	else
		# Plans: YAML files (and folders to walk into).
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur")
			$(compgen -d -- "$cur"))
	fi
}

complete -F _costcap costcap
