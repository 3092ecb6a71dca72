with final as (
    select
        location_id,
        report_date,
        key_question,
        rating,
        report_link
    from main.cqc_ratings
)

select * from final
