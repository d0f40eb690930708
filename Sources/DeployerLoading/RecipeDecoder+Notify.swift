import DeployerModel

/// `notify:` (at the top level or in an environment): a list of notifications.
extension RecipeDecoder {
    mutating func notifyHooks(_ node: YAMLNode) -> [NotifyHook] {
        guard let items = node.items else {
            if !node.isNull {
                error("expected a list of notifications ('- { on: [failed], url: … }'), found \(node.kindDescription)",
                      at: node.location)
            }
            return []
        }
        return items.compactMap { notifyHook($0) }
    }

    /// One notification: `run` or `url`, the events it is sent at (`on`, default all), its `timeout`.
    private mutating func notifyHook(_ node: YAMLNode) -> NotifyHook? {
        guard let f = fields(of: node, RecipeSchema.Notify.self, in: "in a notification") else { return nil }
        var target: NotifyHook.Target?
        switch (f[.run], f[.url]) {
        case let (run?, nil): target = notificationTemplate(run.value).map(NotifyHook.Target.command)
        case let (nil, url?):
            if let text = url.value.scalar, !text.hasPrefix("http://"), !text.hasPrefix("https://"), !text.hasPrefix("{{") {
                error("a notification's url must start with http:// or https://", at: url.value.location)
            }
            target = notificationTemplate(url.value).map(NotifyHook.Target.url)
        case let (_?, url?): error("a notification takes either 'run' or 'url', not both", at: url.key.location)
        case (nil, nil): error("a notification needs 'run: COMMAND' or 'url: URL'", at: node.location)
        }
        guard let target else { return nil }
        var hook = NotifyHook(target: target, location: node.location)
        if let on = f[.on]?.value {
            let names = names(on, what: "a list of events")
            var events = Set<NotifyHook.Event>()
            for name in names {
                if let event = NotifyHook.Event(rawValue: name.name) {
                    events.insert(event)
                } else {
                    let known = NotifyHook.Event.allCases.map(\.rawValue)
                    error("unknown notification event '\(name.name)'" + Suggestion.didYouMean(name.name, in: known),
                          at: name.location, note: "events: " + known.joined(separator: ", "))
                }
            }
            if names.isEmpty { error("'on' lists no event; leave it out to notify at every event", at: on.location) }
            hook.events = events
        }
        if let timeout = f[.timeout]?.value, let seconds = duration(timeout) { hook.timeoutSeconds = seconds }
        return hook
    }

    /// A template of a notification, checked as one (only `app`, `env`, vars and secrets).
    private mutating func notificationTemplate(_ node: YAMLNode) -> Template? {
        let count = templates.count
        let parsed = template(node)
        if templates.count > count { templates[templates.count - 1].inNotification = true }
        return parsed
    }
}
