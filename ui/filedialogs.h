#pragma once

#include <QString>
#include <QStringList>

class QWidget;

namespace tl::FileDialogs {

// Every file dialog of the app starts in the folder the user last chose a
// file in, or in their documents folder the first time: never in "/" or the
// process's working directory (where a desktop launcher leaves it).
QString startFolder();
// startFolder()/fileName, or the path itself when it is absolute.
QString suggestedPath(const QString &fileName);
// Remembers the folder of a file the user chose (or saved to).
void remember(const QString &path);

QString saveFile(QWidget *parent, const QString &title, const QString &fileName,
                 const QString &filter);
QString openFile(QWidget *parent, const QString &title, const QString &filter);
QStringList openFiles(QWidget *parent, const QString &title, const QString &filter);
QString folder(QWidget *parent, const QString &title);

} // namespace tl::FileDialogs
