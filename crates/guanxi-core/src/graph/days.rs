//! Time as an index: what every publication date holds (each entity's mentions and articles,
//! each edge's weight), read from the store in one pass and kept with the loaded graph, so that
//! the graph of any date range is a sum over its days rather than a new scan of the mentions.
//!
//! Why: a range used to re-read its articles' mentions and sentence pairs from SQLite (seconds at
//! ×10 for one week); the window's time filter asks for a new range on every drag. Sums over the
//! days give the same entities, counts and weights as that scan (the list-sentence rule included,
//! see [`crate::store::Store::edges_by_date`]), since an article has one date.

use crate::error::Result;
use crate::store::{EdgeRow, Store};
use crate::vocab::{DateRange, EntityId, RelationKind};
use std::collections::HashMap;

/// One publication date's entities and edges.
#[derive(Debug, Clone, Default)]
struct Day {
    date: String,
    /// (entity, mentions, articles), sorted by entity.
    entities: Vec<(EntityId, i64, i64)>,
    /// Edges with their weight in this date's articles, sorted.
    edges: Vec<EdgeRow>,
}

/// Mentions and articles of an entity in a range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RangeCounts {
    /// Mentions in the range's articles.
    pub mentions: i64,
    /// Articles of the range mentioning it.
    pub articles: i64,
}

/// The graph's content per publication date (undated articles are in no bounded range, so they
/// are not indexed).
#[derive(Debug, Clone, Default)]
pub struct DayIndex {
    /// Sorted by date.
    days: Vec<Day>,
}

impl DayIndex {
    /// Reads every date's entities and edges from the store (one pass over the mentions).
    pub fn load(store: &Store) -> Result<Self> {
        let mut days: Vec<Day> = Vec::new();
        for (date, entity, mentions, articles) in store.entity_counts_by_date()? {
            day_of(&mut days, &date).entities.push((entity, mentions, articles));
        }
        // Both lists are sorted by date: merge the edges into the days.
        let mut edges = store.edges_by_date()?.into_iter().peekable();
        for day in &mut days {
            while let Some((date, day_edges)) = edges.next_if(|(date, _)| *date <= day.date) {
                if date == day.date {
                    day.edges = day_edges;
                }
            }
        }
        Ok(DayIndex { days })
    }

    /// Number of dates with articles.
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// Whether no article has a date.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// The days inside `range`.
    fn days_in(&self, range: &DateRange) -> &[Day] {
        let start = self.days.partition_point(|d| d.date.as_str() < range.lower());
        let end = self.days.partition_point(|d| d.date.as_str() <= range.upper());
        &self.days[start..end.max(start)]
    }

    /// Every entity mentioned in the range's articles, with its counts there.
    pub fn counts(&self, range: &DateRange) -> HashMap<EntityId, RangeCounts> {
        let mut out: HashMap<EntityId, RangeCounts> = HashMap::new();
        for day in self.days_in(range) {
            for &(entity, mentions, articles) in &day.entities {
                let counts = out.entry(entity).or_default();
                counts.mentions += mentions;
                counts.articles += articles;
            }
        }
        out
    }

    /// Every edge with its weight in the range's articles, sorted.
    pub fn edges(&self, range: &DateRange) -> Vec<EdgeRow> {
        let mut weights: HashMap<(EntityId, EntityId, RelationKind), i64> = HashMap::new();
        for day in self.days_in(range) {
            for edge in &day.edges {
                *weights.entry((edge.source, edge.target, edge.kind)).or_default() += edge.weight;
            }
        }
        let mut edges: Vec<EdgeRow> = weights
            .into_iter()
            .map(|((source, target, kind), weight)| EdgeRow { source, target, kind, weight })
            .collect();
        edges.sort();
        edges
    }
}

/// The last day of `days` if it is `date`, else a new one (rows come sorted by date).
fn day_of<'a>(days: &'a mut Vec<Day>, date: &str) -> &'a mut Day {
    if days.last().is_none_or(|day| day.date != date) {
        days.push(Day { date: date.to_string(), ..Day::default() });
    }
    let last = days.len() - 1;
    &mut days[last]
}
