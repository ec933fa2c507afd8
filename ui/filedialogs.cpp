#include "filedialogs.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace tl::FileDialogs {

namespace {

const QString kKey = QStringLiteral("dialogs/lastFolder");

} // namespace

QString startFolder()
{
    const QString last = QSettings().value(kKey).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir())
        return last;
    const QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (!docs.isEmpty() && QFileInfo(docs).isDir())
        return docs;
    return QDir::homePath();
}

QString suggestedPath(const QString &fileName)
{
    if (QFileInfo(fileName).isAbsolute())
        return fileName;
    return QDir(startFolder()).filePath(fileName);
}

void remember(const QString &path)
{
    if (path.isEmpty())
        return;
    const QFileInfo info(path);
    QSettings().setValue(kKey, info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

QString saveFile(QWidget *parent, const QString &title, const QString &fileName,
                 const QString &filter)
{
    const QString path =
        QFileDialog::getSaveFileName(parent, title, suggestedPath(fileName), filter);
    remember(path);
    return path;
}

QString openFile(QWidget *parent, const QString &title, const QString &filter)
{
    const QString path = QFileDialog::getOpenFileName(parent, title, startFolder(), filter);
    remember(path);
    return path;
}

QStringList openFiles(QWidget *parent, const QString &title, const QString &filter)
{
    const QStringList paths = QFileDialog::getOpenFileNames(parent, title, startFolder(), filter);
    if (!paths.isEmpty())
        remember(paths.front());
    return paths;
}

QString folder(QWidget *parent, const QString &title)
{
    const QString dir = QFileDialog::getExistingDirectory(parent, title, startFolder());
    remember(dir);
    return dir;
}

} // namespace tl::FileDialogs
