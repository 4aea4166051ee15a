-- Value coercion shared by the staging models: text in, typed value (or null) out.
create or replace macro okr_clean(t) as nullif(trim(t), '');
create or replace macro okr_key(t) as regexp_replace(lower(trim(t)), '[^a-z0-9]+', '', 'g');
create or replace macro okr_numtext(t) as
    regexp_replace(regexp_replace(lower(trim(t)), '[\s,$€£¥%]', '', 'g'), '^\+', '');
-- 45% -> 45, 1,234 -> 1234, $1,200 -> 1200, 1.5k -> 1500, (12) -> -12; anything else -> null
create or replace macro okr_number_any(s) as (
    case
        when regexp_full_match(s, '-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?')
            then try_cast(s as double)
        when regexp_full_match(s, '-?(\d+\.?\d*|\.\d+)[kmb]')
            then try_cast(left(s, -1) as double)
                * case right(s, 1) when 'k' then 1e3 when 'm' then 1e6 else 1e9 end
        when regexp_full_match(s, '\((\d+\.?\d*|\.\d+)\)')
            then -try_cast(trim(s, '()') as double)
    end
);
create or replace macro okr_number(t) as (
    case when abs(okr_number_any(okr_numtext(t))) < 1e15 then okr_number_any(okr_numtext(t)) end
);
-- why a text is not a usable number (for the report)
create or replace macro okr_number_problem(t) as (
    '''' || trim(t) || ''' ' || case
        when okr_number_any(okr_numtext(t)) is not null then 'is too large to be a value (over 10^15).'
        else 'is not a number.'
    end
);
-- ISO and unambiguous forms first; d/m/y or m/d/y by the file's detected order
create or replace macro okr_date_any(t, dayfirst) as (
    coalesce(
        try_strptime(trim(t), [
            '%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%d %b %Y', '%d %B %Y', '%d-%b-%Y',
            '%b %d %Y', '%B %d %Y', '%b %d, %Y', '%B %d, %Y', '%a %d %b %Y',
            '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f',
            '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%d %H:%M'
        ]),
        case
            when dayfirst then try_strptime(trim(t), ['%d/%m/%Y', '%d.%m.%Y', '%d-%m-%Y'])
            else try_strptime(trim(t), ['%m/%d/%Y', '%d.%m.%Y', '%m-%d-%Y'])
        end
    )::date
);
-- 2026-Q3, Q3 2026, 2026 Q3, Q3-2026, 2026Q3, FY2026 Q3 -> '2026-Q3'
create or replace macro okr_quarter(t) as (
    case
        when regexp_full_match(upper(trim(t)), '(FY)?\s*\d{4}\s*[-_/ ]?\s*Q[1-4]')
          or regexp_full_match(upper(trim(t)), 'Q[1-4]\s*[-_/ ]?\s*(FY)?\s*\d{4}')
            then regexp_extract(upper(trim(t)), '(\d{4})', 1)
                || '-Q' || regexp_extract(upper(trim(t)), 'Q([1-4])', 1)
    end
);
-- first and last day of a quarter label, for a fiscal year starting in month m
create or replace macro okr_quarter_start(q, m) as (
    make_date(cast(left(q, 4) as integer), m, 1)
        + to_months(3 * (cast(right(q, 1) as integer) - 1))
)::date;
create or replace macro okr_quarter_end(q, m) as
    (okr_quarter_start(q, m) + interval 3 month - interval 1 day)::date;
-- dates a person could mean: 1990 to 2200 (others are reported and left out)
create or replace macro okr_date(t, dayfirst) as (
    case when year(okr_date_any(t, dayfirst)) between 1990 and 2200 then okr_date_any(t, dayfirst) end
);
